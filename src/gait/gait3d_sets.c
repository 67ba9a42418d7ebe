/*
** gait3d_sets.c -- the lab marker sets of data/marker_sets/ (built
** into the binary): reading one, finding a marker by label with subject
** prefixes stripped, and choosing the set a running trial was recorded
** with.  docs/MARKER_SETS.md describes the sets and the file format.
**
** Only the built-in files are read (gaitkeeper takes no marker-set file
** from the user), so the reader checks their shape for the tests
** (tests/unit/test_marker_sets.c) rather than guarding against hostile
** input; every string is still copied bounded.
*/
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/data_internal.h"
#include "gait/gait3d_internal.h"

static _Thread_local char message[1400];

static gk_status fail(gk_err *err, gk_status code, const char *msg) {
  if (err) {
    memset(err, 0, sizeof *err);
    err->code = code;
    err->msg = msg;
  }
  return code;
}

static const char *const role_names[GK__R_COUNT] = {
    "right_asis",          "left_asis",          "right_psis",
    "left_psis",           "left_knee_lateral",  "right_knee_lateral",
    "left_knee_medial",    "right_knee_medial",  "left_ankle_lateral",
    "right_ankle_lateral", "left_ankle_medial",  "right_ankle_medial",
    "left_heel",           "right_heel",         "left_heel_top",
    "right_heel_top",      "left_toe_a",         "right_toe_a",
    "left_toe_b",          "right_toe_b",        "left_thigh_wand",
    "right_thigh_wand",    "left_tibia_wand",    "right_tibia_wand",
};

static const char *const segment_names[GK__S_COUNT] = {
    "pelvis",      "left_thigh", "right_thigh", "left_shank",
    "right_shank", "left_foot",  "right_foot"};

static const char *const set_files[] = {"marker_sets/rbds.json",
                                        "marker_sets/plugin_gait.json",
                                        "marker_sets/cluster4.json"};
#define N_SETS (sizeof set_files / sizeof set_files[0])

size_t gk__mset_names(const char **names, size_t max) {
  static const char *const n[N_SETS] = {"rbds", "plugin_gait", "cluster4"};
  size_t k = 0;
  for (; k < N_SETS && k < max; k++) names[k] = n[k];
  return k;
}

static void copy(char *dst, size_t size, const char *src) {
  snprintf(dst, size, "%s", src ? src : "");
}

static const char *str_of(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num_of(const cJSON *o, const char *key, double dflt) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static int marker_index(const gk__mset *ms, const char *label) {
  for (size_t i = 0; i < ms->n_markers; i++)
    if (strcmp(ms->m[i].label, label) == 0) return (int)i;
  return -1;
}

gk_status gk__mset_load(const char *name, gk__mset *out, gk_err *err) {
  memset(out, 0, sizeof *out);
  for (int r = 0; r < GK__R_COUNT; r++) out->role[r] = -1;
  for (int s = 0; s < GK__S_COUNT; s++)
    for (int k = 0; k < GK__CL_MAX; k++) out->cluster[s][k] = -1;
  const char *file = NULL;
  const char *names[N_SETS];
  size_t n = gk__mset_names(names, N_SETS);
  for (size_t i = 0; i < n; i++)
    if (name && strcmp(name, names[i]) == 0) file = set_files[i];
  if (file == NULL) {
    snprintf(message, sizeof message,
             "no marker set \"%s\" (the sets are rbds, plugin_gait, "
             "cluster4)",
             name ? name : "");
    return fail(err, GK_E_NOT_FOUND, message);
  }
  const cJSON *j = gk__data(file);
  if (j == NULL) return fail(err, GK_E_CORRUPT, "marker set: not valid JSON");
  gk_status st = GK_E_CORRUPT;
  const char *msg = "marker set: a field is missing or wrong";
  copy(out->name, sizeof out->name, str_of(j, "name"));
  const char *model = str_of(j, "model");
  out->model = model && strcmp(model, "cluster") == 0       ? GK__MODEL_CLUSTER
               : model && strcmp(model, "plugin_gait") == 0 ? GK__MODEL_PIG
                                                            : 0;
  const char *hip = str_of(j, "hip_centre");
  out->hip = hip && strcmp(hip, "harrington2007") == 0 ? GK__HIP_HARRINGTON
                                                       : GK__HIP_BELL;
  const char *kn = str_of(j, "knee_centre"), *an = str_of(j, "ankle_centre");
  out->knee = kn && strcmp(kn, "chord") == 0 ? GK__JC_CHORD : GK__JC_PAIR;
  out->ankle = an && strcmp(an, "chord") == 0 ? GK__JC_CHORD : GK__JC_PAIR;
  const char *stat = str_of(j, "static");
  out->static_required = stat && strncmp(stat, "required", 8) == 0;
  const cJSON *tol = cJSON_GetObjectItemCaseSensitive(j, "tolerances");
  const cJSON *rt = cJSON_GetObjectItemCaseSensitive(tol, "cluster_rigid_mm");
  for (int s = 0; s < GK__S_COUNT; s++) {
    static const char *const kind[GK__S_COUNT] = {
        "pelvis", "thigh", "thigh", "shank", "shank", "foot", "foot"};
    out->rigid_tol_mm[s] = cJSON_IsNumber(rt) ? rt->valuedouble
                                              : num_of(rt, kind[s], 12);
  }
  out->static_tol_mm = num_of(tol, "static_match_mm",
                              num_of(tol, "segment_match_mm", 15));
  const cJSON *w = cJSON_GetObjectItemCaseSensitive(j, "default_widths_mm");
  out->knee_width_mm = num_of(w, "knee", 100);
  out->ankle_width_mm = num_of(w, "ankle", 70);
  out->marker_diameter_mm = num_of(w, "marker_diameter", 14);
  const cJSON *mk = cJSON_GetObjectItemCaseSensitive(j, "markers");
  if (out->model == 0 || out->name[0] == '\0' || !cJSON_IsArray(mk)) goto done;
  const cJSON *it;
  cJSON_ArrayForEach(it, mk) {
    if (out->n_markers >= GK__MSET_MAX_MARKERS) goto done;
    gk__mset_marker *m = &out->m[out->n_markers];
    const char *label = str_of(it, "label");
    if (label == NULL || label[0] == '\0' || strlen(label) >= sizeof m->label)
      goto done;
    copy(m->label, sizeof m->label, label);
    copy(m->alt, sizeof m->alt, str_of(it, "alt"));
    copy(m->what, sizeof m->what, str_of(it, "for"));
    const char *use = str_of(it, "use");
    m->use = use && strcmp(use, "static") == 0 ? GK__USE_STATIC
                                                : GK__USE_TRACKED;
    m->optional = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "optional"));
    m->role = -1;
    const char *role = str_of(it, "role");
    if (role) {
      for (int r = 0; r < GK__R_COUNT; r++)
        if (strcmp(role, role_names[r]) == 0) m->role = r;
      if (m->role < 0) {
        msg = "marker set: unknown role";
        goto done;
      }
      out->role[m->role] = (int)out->n_markers;
      /* one toe marker: it is both ends of the toe mid-point */
      if (m->role == GK__R_TOE_A || m->role == GK__R_TOE_A + 1)
        if (out->role[m->role + 2] < 0) out->role[m->role + 2] = -2;
    }
    out->n_markers++;
  }
  for (int s = 0; s < 2; s++)
    if (out->role[GK__R_TOE_B + s] == -2)
      out->role[GK__R_TOE_B + s] = out->role[GK__R_TOE_A + s];
  const cJSON *cl = cJSON_GetObjectItemCaseSensitive(j, "clusters");
  if (out->model == GK__MODEL_CLUSTER) {
    for (int s = 0; s < GK__S_COUNT; s++) {
      const cJSON *a = cJSON_GetObjectItemCaseSensitive(cl, segment_names[s]);
      if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) < 3 ||
          cJSON_GetArraySize(a) > GK__CL_MAX) {
        msg = "marker set: a segment's cluster has not 3-6 markers";
        goto done;
      }
      int k = 0;
      cJSON_ArrayForEach(it, a) {
        int mi = cJSON_IsString(it) ? marker_index(out, it->valuestring) : -1;
        if (mi < 0 || out->m[mi].use != GK__USE_TRACKED) {
          msg = "marker set: a cluster names a marker that is not tracked";
          goto done;
        }
        out->cluster[s][k++] = mi;
      }
    }
  }
  /* the roles the models need */
  for (int r = 0; r < GK__R_COUNT; r++) {
    int need = r <= GK__R_LASIS || r == GK__R_KNEE_LAT ||
               r == GK__R_KNEE_LAT + 1 || r == GK__R_ANKLE_LAT ||
               r == GK__R_ANKLE_LAT + 1 || r == GK__R_TOE_A ||
               r == GK__R_TOE_A + 1;
    if (out->model == GK__MODEL_PIG)
      need |= r >= GK__R_THIGH_WAND || r == GK__R_HEEL || r == GK__R_HEEL + 1 ||
              r == GK__R_RPSIS || r == GK__R_LPSIS;
    else
      need |= r == GK__R_KNEE_MED || r == GK__R_KNEE_MED + 1 ||
              r == GK__R_ANKLE_MED || r == GK__R_ANKLE_MED + 1 ||
              r == GK__R_RPSIS || r == GK__R_LPSIS;
    if (need && out->role[r] < 0) {
      snprintf(message, sizeof message, "marker set %s: no marker for %s",
               out->name, role_names[r]);
      msg = message;
      goto done;
    }
  }
  st = GK_OK;
done:
  if (st != GK_OK) return fail(err, st, msg);
  return GK_OK;
}

/* The label without a subject prefix ("Name:LASI" -> "LASI"). */
static const char *strip_prefix(const char *s) {
  const char *c = strrchr(s, ':');
  return c ? c + 1 : s;
}

long gk__find_marker(const gk_capture *c, const char *label) {
  if (c == NULL || label == NULL || label[0] == '\0') return -1;
  long i = gk_capture_find_point(c, label);
  if (i >= 0) return i;
  for (size_t k = 0; k < c->n_points; k++)
    if (c->point_labels[k] &&
        strcmp(strip_prefix(c->point_labels[k]), label) == 0)
      return (long)k;
  return -1;
}

static long find_with_alt(const gk_capture *c, const gk__mset_marker *m) {
  long i = gk__find_marker(c, m->label);
  return i >= 0 ? i : gk__find_marker(c, m->alt);
}

/* Tracked, non-optional markers of the set missing from the capture. */
static size_t missing(const gk__mset *ms, const gk_capture *run,
                      size_t *needed) {
  size_t miss = 0;
  *needed = 0;
  for (size_t i = 0; i < ms->n_markers; i++) {
    const gk__mset_marker *m = &ms->m[i];
    if (m->use != GK__USE_TRACKED || m->optional) continue;
    (*needed)++;
    if (find_with_alt(run, m) < 0) miss++;
  }
  return miss;
}

static void append(char *buf, size_t size, size_t *len, const char *fmt,
                   const char *a) {
  if (*len >= size - 1) return;
  int w = snprintf(buf + *len, size - *len, fmt, a);
  if (w < 0) return;
  *len += (size_t)w < size - *len ? (size_t)w : size - 1 - *len;
}

gk_status gk__mset_choose(const gk_capture *run, const char *name,
                          gk__mset *out, const char **how, gk_err *err) {
  if (name && name[0]) {
    if (how) *how = "named";
    return gk__mset_load(name, out, err);
  }
  if (how) *how = "recognised from the labels";
  const char *names[N_SETS];
  size_t n = gk__mset_names(names, N_SETS);
  static _Thread_local gk__mset cand;
  double best = -1;
  int best_i = -1;
  size_t miss[N_SETS], need[N_SETS];
  for (size_t i = 0; i < n; i++) {
    gk_status st = gk__mset_load(names[i], &cand, err);
    if (st != GK_OK) return st;
    miss[i] = missing(&cand, run, &need[i]);
    double frac = need[i] ? 1.0 - (double)miss[i] / (double)need[i] : 0;
    if (frac > best) {
      best = frac;
      best_i = (int)i;
    }
  }
  if (best_i >= 0 && best >= 0.5)
    return gk__mset_load(names[best_i], out, err);
  /* nothing fits: the labels seen, the sets tried and what each lacks */
  size_t len = 0;
  append(message, sizeof message, &len, "%s",
         "running trial: no marker set fits its labels (");
  size_t shown = 0;
  for (size_t k = 0; k < run->n_points && shown < 12; k++, shown++)
    append(message, sizeof message, &len, shown ? ", %s" : "%s",
           run->point_labels[k] ? run->point_labels[k] : "?");
  if (run->n_points > shown) {
    char more[48];
    snprintf(more, sizeof more, ", ... %zu in all", run->n_points);
    append(message, sizeof message, &len, "%s", more);
  }
  if (run->n_points == 0) append(message, sizeof message, &len, "%s", "none");
  append(message, sizeof message, &len, "%s", "); tried");
  for (size_t i = 0; i < n; i++) {
    if (gk__mset_load(names[i], &cand, err) != GK_OK) break;
    char head[96];
    snprintf(head, sizeof head, "%s %s (missing %zu of %zu:", i ? ";" : "",
             names[i], miss[i], need[i]);
    append(message, sizeof message, &len, "%s", head);
    size_t listed = 0;
    for (size_t k = 0; k < cand.n_markers; k++) {
      const gk__mset_marker *m = &cand.m[k];
      if (m->use != GK__USE_TRACKED || m->optional || find_with_alt(run, m) >= 0)
        continue;
      if (listed < 6)
        append(message, sizeof message, &len, " %s", m->label);
      listed++;
    }
    append(message, sizeof message, &len, "%s", listed > 6 ? " ...)" : ")");
  }
  append(message, sizeof message, &len, "%s",
         "; name one with --marker-set");
  return fail(err, GK_E_NOT_FOUND, message);
}
