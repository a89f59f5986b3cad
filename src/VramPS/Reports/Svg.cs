using System.Text;

namespace VramPS.Reports
{
    /// <summary>The SVG elements both charts write: the root with its accessible title, text, lines.</summary>
    internal static class Svg
    {
        /// <summary>Opens a chart: its kind (for the tests and the style), its size in pixels and a caption screen readers and tooltips show.</summary>
        public static void Open(StringBuilder svg, string kind, string caption, double width, double height)
        {
            svg.Append("<svg class=\"chart\" data-kind=\"").Append(Html.Text(kind)).Append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .Append(Html.Coordinate(width)).Append(' ').Append(Html.Coordinate(height)).Append("\" width=\"").Append(Html.Coordinate(width))
                .Append("\" height=\"").Append(Html.Coordinate(height)).Append("\" role=\"img\" aria-label=\"").Append(Html.Text(caption)).Append("\">")
                .Append("<title>").Append(Html.Text(caption)).Append("</title>");
        }

        public static void Text(StringBuilder svg, double x, double y, string anchor, string cssClass, string text, bool rotate = false)
        {
            svg.Append("<text class=\"").Append(cssClass).Append("\" x=\"").Append(Html.Coordinate(x)).Append("\" y=\"").Append(Html.Coordinate(y))
                .Append("\" text-anchor=\"").Append(anchor).Append('"');
            if (rotate) svg.Append(" transform=\"rotate(-90 ").Append(Html.Coordinate(x)).Append(' ').Append(Html.Coordinate(y)).Append(")\"");
            svg.Append('>').Append(Html.Text(text)).Append("</text>");
        }

        public static void Line(StringBuilder svg, string cssClass, double x1, double y1, double x2, double y2)
        {
            svg.Append("<line class=\"").Append(cssClass).Append("\" x1=\"").Append(Html.Coordinate(x1)).Append("\" x2=\"").Append(Html.Coordinate(x2))
                .Append("\" y1=\"").Append(Html.Coordinate(y1)).Append("\" y2=\"").Append(Html.Coordinate(y2)).Append("\"/>");
        }
    }
}
