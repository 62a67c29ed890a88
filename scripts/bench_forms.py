#!/usr/bin/env python3
"""#13 benchmark: HakenDesk's PDF forms (pango + cairo) against Python's ReportLab drawing the
same forms with the same font, in the same run, one core each.

The forms are HakenDesk's own samples (`hakendesk forms sample --json`: the blocks of every form),
drawn here with ReportLab's platypus the same way block by block (tables with grey label cells,
ruled boxes to write in, name lines with a 印 box, a footer with the reference and "n / N"), in
IPAex Mincho and Gothic, subset-embedded. Both outputs are read back with pdftotext first: the
same words must come out of each, so the two sides draw the same thing.

Each side runs in a child process: forms per second (after a warm-up), and the child's peak
resident memory (GNU time's %M). Results go to docs/benchmarks.md §9.

Usage: scripts/bench_forms.py path/to/release/hakendesk [--forms 300]
"""
import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time

MINCHO = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
GOTHIC = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"


def reportlab_pdf(form):
    """One form drawn with ReportLab, as bytes."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas as canvasmodule
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import HRFlowable, KeepTogether

    if "IPAexMincho" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("IPAexMincho", MINCHO))
        pdfmetrics.registerFont(TTFont("IPAexGothic", GOTHIC))

    def style(name, font, size, **more):
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.3, wordWrap="CJK", **more)

    body, small = style("body", "IPAexMincho", 11), style("small", "IPAexMincho", 9, textColor=colors.Color(0.2, 0.2, 0.2))
    title, heading = style("title", "IPAexGothic", 18, alignment=TA_CENTER), style("heading", "IPAexGothic", 12)
    cell, label = style("cell", "IPAexMincho", 10.5), style("label", "IPAexGothic", 10)
    right = style("right", "IPAexMincho", 11, alignment=TA_RIGHT)
    seal = style("seal", "IPAexMincho", 10, alignment=TA_CENTER, textColor=colors.Color(0.55, 0.55, 0.55))
    width = A4[0] - 2 * 56.6929
    grid = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    grey = colors.Color(0.92, 0.92, 0.92)

    def p(text, st):
        return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>"), st)

    story = [p(form["title"], title), Spacer(0, 12)]
    for block in form["blocks"]:
        (kind, value), = block.items()
        if kind == "addressee":
            table = Table([[p(value["_0"], body), p(value["date"], right)]], colWidths=[width * 0.55, width * 0.45])
            story += [table, Spacer(0, 8)]
        elif kind == "right":
            story.append(p(value["_0"], right))
        elif kind == "heading":
            story += [Spacer(0, 4), p(value["_0"], heading), HRFlowable(width="100%", thickness=0.6, color=colors.black), Spacer(0, 6)]
        elif kind == "paragraph":
            story += [p(value["_0"], body), Spacer(0, 6)]
        elif kind == "note":
            story += [p(value["_0"], small), Spacer(0, 4)]
        elif kind in ("fields", "grid"):
            rows = [[field] for field in value["_0"]] if kind == "fields" else value["_0"]
            label_width = 118 if kind == "fields" else 82
            for row in rows:
                cells, widths, styles = [], [], list(grid)
                for index, field in enumerate(row):
                    cells += [p(field["label"], label), p(field["value"], cell)]
                    share = width / len(row)
                    widths += [label_width, share - label_width]
                    styles.append(("BACKGROUND", (index * 2, 0), (index * 2, 0), grey))
                story.append(Table([cells], colWidths=widths, style=TableStyle(styles)))
            story.append(Spacer(0, 8))
        elif kind == "table":
            columns, rows = value["columns"], value["rows"]
            total = sum(column["share"] for column in columns)
            widths = [width * column["share"] / total for column in columns]
            data = [[p(column["title"], label) for column in columns]] + [[p(text, cell) for text in row] for row in rows]
            story += [Table(data, colWidths=widths, repeatRows=1, style=TableStyle(grid + [("BACKGROUND", (0, 0), (-1, 0), grey)])), Spacer(0, 8)]
        elif kind == "checks":
            for check in value["_0"]:
                story.append(p(("■ " if check["checked"] else "□ ") + check["label"], body))
            story.append(Spacer(0, 5))
        elif kind == "writeIn":
            lines = max(1, value["lines"])
            box = Table([[""] for _ in range(lines)], colWidths=[width], rowHeights=[21] * lines,
                        style=TableStyle([("BOX", (0, 0), (-1, -1), 0.7, colors.black)]
                                         + [("LINEBELOW", (0, row), (0, row), 0.4, colors.grey, None, (2, 2)) for row in range(lines - 1)]))
            story += [KeepTogether([p(value["label"], body), Spacer(0, 4), box]), Spacer(0, 10)]
        elif kind == "seals":
            rows = []
            for line in value["_0"]:
                inner = Table([[p(field["label"], cell), p(field["value"] or " ", cell)] for field in line["lines"]], colWidths=[60, width - 118 - 54 - 70],
                              style=TableStyle([("LINEBELOW", (1, 0), (1, -1), 0.4, colors.grey, None, (2, 2))]))
                rows.append([p(line["role"], label), inner, p("印", seal)])
            story += [Table(rows, colWidths=[118, width - 118 - 54, 54], rowHeights=[max(54, 24 * len(line["lines"]) + 10) for line in value["_0"]],
                            style=TableStyle(grid + [("BACKGROUND", (0, 0), (0, -1), grey), ("VALIGN", (2, 0), (2, -1), "MIDDLE")])), Spacer(0, 8)]
        elif kind == "space":
            story.append(Spacer(0, value["_0"]))

    footer_text = f"整理番号 {form['reference']}　作成日 {form['madeOn']}"

    class NumberedCanvas(canvasmodule.Canvas):
        """The footer's "n / N": pages are kept until the end, then numbered (ReportLab's own recipe)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.pages = []

        def showPage(self):
            self.pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for index, state in enumerate(self.pages):
                self.__dict__.update(state)
                self.setFont("IPAexMincho", 9)
                self.setFillGray(0.2)
                self.line(56.6929, 46, A4[0] - 56.6929, 46)
                self.drawString(56.6929, 34, footer_text)
                self.drawRightString(A4[0] - 56.6929, 34, f"{index + 1} / {len(self.pages)}")
                super().showPage()
            super().save()

    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=56.6929, rightMargin=56.6929, topMargin=45, bottomMargin=58,
                                 title=form["title"], subject=form["reference"], creator="ReportLab (bench)")
    document.build(story, canvasmaker=NumberedCanvas)
    return out.getvalue()


def worker(args):
    """Child process: draws one kind `--forms` times after a warm-up; prints forms per second."""
    form = json.loads(sys.stdin.read())
    reportlab_pdf(form)
    start = time.perf_counter()
    size = 0
    for _ in range(args.forms):
        size = len(reportlab_pdf(form))
    seconds = time.perf_counter() - start
    print(json.dumps({"formsPerSecond": args.forms / seconds, "bytes": size}))


def run_child(command, stdin=""):
    """Runs a child under /usr/bin/time; returns (its stdout, its peak resident memory in MiB).
    (Not ru_maxrss from wait4: a child forked from this Python carries its high-water mark across exec.)"""
    process = subprocess.run(["/usr/bin/time", "-f", "maxrss=%M", *command], input=stdin, capture_output=True, text=True)
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} exited {process.returncode}: {process.stderr[-500:]}")
    peak = int(re.search(r"maxrss=(\d+)", process.stderr).group(1))
    return process.stdout, peak / 1024


def squeezed(text):
    return re.sub(r"\s", "", text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--forms", type=int, default=300)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    forms = json.loads(subprocess.run([args.binary, "forms", "sample", "--json"], check=True, capture_output=True, text=True).stdout)
    with tempfile.TemporaryDirectory() as folder:
        # The same words from both sides.
        subprocess.run([args.binary, "forms", "sample", "--out", folder], check=True, capture_output=True)
        for kind, form in forms.items():
            path = os.path.join(folder, f"{kind}-reportlab.pdf")
            with open(path, "wb") as file:
                file.write(reportlab_pdf(form))
            ours = squeezed(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", os.path.join(folder, f"{kind}.pdf"), "-"], capture_output=True, text=True).stdout)
            theirs = squeezed(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", path, "-"], capture_output=True, text=True).stdout)
            missing = [text for text in texts(form) if squeezed(text) and (squeezed(text) not in ours or squeezed(text) not in theirs)]
            if missing:
                raise SystemExit(f"{kind}: not drawn alike: {missing[:3]}")
    print(f"{'form':<20} {'HakenDesk/s':>12} {'ReportLab/s':>12} {'ratio':>7} {'RSS ours':>9} {'RSS RL':>8}")
    rows = []
    for kind, form in forms.items():
        ours_out, ours_rss = run_child([args.binary, "forms", "sample", "--kind", kind, "--repeat", str(args.forms)])
        ours = json.loads(ours_out.strip().splitlines()[-1])["formsPerSecond"]
        theirs_out, theirs_rss = run_child([sys.executable, __file__, args.binary, "--worker", "--forms", str(max(50, args.forms // 4))], json.dumps(form))
        theirs = json.loads(theirs_out.strip().splitlines()[-1])["formsPerSecond"]
        rows.append((kind, ours, theirs, ours_rss, theirs_rss))
        print(f"{kind:<20} {ours:>12.1f} {theirs:>12.1f} {ours / theirs:>6.1f}× {ours_rss:>8.0f}M {theirs_rss:>7.0f}M", flush=True)
    ratios = sorted(row[1] / row[2] for row in rows)
    print(f"median ratio {ratios[len(ratios) // 2]:.1f}× (min {ratios[0]:.1f}×, max {ratios[-1]:.1f}×)")


def texts(form):
    """Every text a form prints (the same list as PrintedForm.texts in Swift)."""
    out = [form["title"]]
    for block in form["blocks"]:
        (kind, value), = block.items()
        if kind == "addressee":
            out += [value["_0"], value["date"]]
        elif kind in ("right", "heading", "paragraph", "note"):
            out.append(value["_0"])
        elif kind == "fields":
            out += [text for field in value["_0"] for text in (field["label"], field["value"])]
        elif kind == "grid":
            out += [text for row in value["_0"] for field in row for text in (field["label"], field["value"])]
        elif kind == "table":
            out += [column["title"] for column in value["columns"]] + [text for row in value["rows"] for text in row]
        elif kind == "checks":
            out += [check["label"] for check in value["_0"]]
        elif kind == "writeIn":
            out.append(value["label"])
        elif kind == "seals":
            out += [text for line in value["_0"] for text in [line["role"]] + [t for field in line["lines"] for t in (field["label"], field["value"])]]
    return out


if __name__ == "__main__":
    sys.exit(main())
