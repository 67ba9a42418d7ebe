/*
** gaitkeeper/stick_figure.h -- an inline SVG stick figure of the runner's
** pose at one moment of a 2D gait analysis (gk_gait.figures[]): initial
** contact, peak pelvic drop.  For the report; no scripts, a <title> and
** role="img" with an aria-label, a viewBox, left and right sides in
** distinct colours and dash patterns (not colour alone), the pelvis line
** and a vertical reference line through the pelvis so that pelvic drop
** and knee collapse are visible.
*/
#ifndef GK_STICK_FIGURE_H
#define GK_STICK_FIGURE_H

#include "gaitkeeper/gait.h"
#include "gaitkeeper/json.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
** Append the SVG (one <svg> element to inline in HTML: no XML declaration,
** no xmlns) of figure `fig`
** to out, width_px wide (its height follows the pose's aspect; 0: 240).
** Segments whose points are missing are left out.  GK_E_ARG when fig is
** NULL or has no points; GK_E_NOT_FOUND when fewer than two points of
** the figure are present; GK_E_NOMEM when out ran out of memory.
*/
GK_API gk_status gk_stick_figure_svg(const struct gk_gait_figure *fig,
                                     double width_px, gk_buf *out);

/*
** The square region of the image (x, y, w, h in the figure's image units)
** that the SVG of fig shows: the pose's bounding box, squared and with a
** margin.  A video still of exactly that region (fig->photo_b64 and
** photo_crop) is drawn under the figure; fig->measure, when set, is
** written in its corner.  GK_E_NOT_FOUND when fewer than two points.
*/
GK_API gk_status gk_stick_figure_crop(const struct gk_gait_figure *fig,
                                      double crop[4]);

#ifdef __cplusplus
}
#endif

#endif /* GK_STICK_FIGURE_H */
