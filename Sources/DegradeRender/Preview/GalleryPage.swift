import DegradeEngine
import Foundation

/// `DIR/index.html`: a self-contained gallery of a preview run. Inline CSS only — no scripts, fonts or
/// external URLs — and every image is referenced by a relative path inside the preview folder, so the folder
/// can be copied, zipped or served anywhere. All text from recipes, keys and plans is HTML-escaped.
///
/// Layout: a header with the run's facts; with several recipes, a side-by-side grid (one row per sample
/// index, i.e. the same clip and variant, one column per recipe); then one section per recipe with its
/// name, description, hash and seed, and per sample the GT | LQ pairs sheet, the stage strip of frame 0
/// (one card per step with the parameters it used) and the plan JSON in a collapsible block.
enum GalleryPage {
    public static let fileName = "index.html"

    public static func html(run: PreviewRun, recipes: [PreviewRecipe], records: [PreviewRecord]) -> String {
        let byRecipe = (0..<recipes.count).map { r in records.filter { $0.recipeIndex == r }.sorted { $0.sample < $1.sample } }
        var h = ""
        let title = "degrade preview — " + recipes.map(\.name).joined(separator: ", ")
        h += """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))</title>
            <style>\(css)</style>
            </head>
            <body>
            <header class="top">
            <h1>Degradation preview</h1>
            <p class="run">\(recipes.count) recipe\(recipes.count == 1 ? "" : "s") × \(run.samples) sample\(run.samples == 1 ? "" : "s") · seed <b>\(run.seed)</b> · \(e(run.source)) · degrade \(e(run.toolVersion)) · \(e(run.created))</p>
            <nav>
            """
        for (i, r) in recipes.enumerated() {
            h += "<a href=\"#\(recipeID(i))\">\(e(r.name))</a>"
        }
        h += "</nav>\n</header>\n<main>\n"

        if recipes.count > 1 { h += comparison(recipes: recipes, byRecipe: byRecipe) }
        for (i, r) in recipes.enumerated() {
            h += section(index: i, recipe: r, records: byRecipe[i], run: run)
        }
        h += """
            </main>
            <footer>Every sample is a pure function of (recipe, seed, key): <code>degrade apply RECIPE --input … --key CLIP --variant N --seed \(run.seed)</code> reproduces it, and its plan JSON records every random decision. Images are PNG; small stages are enlarged by nearest neighbour so each pixel stays visible.</footer>
            </body>
            </html>

            """
        return h
    }

    static func recipeID(_ i: Int) -> String { "r\(i + 1)" }
    static func sampleID(_ r: Int, _ k: Int) -> String { "r\(r + 1)-s\(k + 1)" }

    static func comparison(recipes: [PreviewRecipe], byRecipe: [[PreviewRecord]]) -> String {
        let rows = byRecipe.map(\.count).max() ?? 0
        var h = """
            <section class="compare">
            <h2>Side by side</h2>
            <p class="hint">One row per sample (the same clip and variant for every recipe); each cell shows GT | LQ of frame 0, the LQ enlarged to the GT size by nearest neighbour. Click a cell for the sample's stages.</p>
            <div class="cmp" style="grid-template-columns: 8rem repeat(\(recipes.count), minmax(14rem, 1fr))">
            <div class="cmp-corner"></div>
            """
        for (i, r) in recipes.enumerated() {
            h += "<div class=\"cmp-head\"><a href=\"#\(recipeID(i))\">\(e(r.name))</a><span>×\(r.scale)</span></div>\n"
        }
        for k in 0..<rows {
            let key = byRecipe.lazy.compactMap { $0.first { $0.sample == k } }.first?.key ?? ""
            h += "<div class=\"cmp-key\"><span>\(e(key))</span></div>\n"
            for (i, list) in byRecipe.enumerated() {
                guard let p = list.first(where: { $0.sample == k }) else { h += "<div class=\"cmp-cell empty\"></div>\n"; continue }
                h += """
                    <figure class="cmp-cell"><a href="#\(sampleID(i, k))"><img src="\(e(p.comparePath))" alt="\(e(recipes[i].name)) \(e(p.key)): GT and LQ of frame 0"></a>\
                    <figcaption>GT \(p.gtSize) → LQ \(p.lqSize)</figcaption></figure>

                    """
            }
        }
        h += "</div>\n</section>\n"
        return h
    }

    static func section(index i: Int, recipe r: PreviewRecipe, records: [PreviewRecord], run: PreviewRun) -> String {
        var h = """
            <section class="recipe" id="\(recipeID(i))">
            <div class="recipe-head">
            <h2>\(e(r.name))</h2>
            \(r.description.isEmpty ? "" : "<p class=\"desc\">\(e(r.description))</p>")
            <dl class="facts">
            <div><dt>file</dt><dd>\(e(r.file))</dd></div>
            <div><dt>hash</dt><dd><code>\(e(r.hash))</code></dd></div>
            <div><dt>seed</dt><dd><code>\(run.seed)</code></dd></div>
            <div><dt>scale</dt><dd>×\(r.scale)</dd></div>
            <div><dt>samples</dt><dd>\(records.count)</dd></div>
            </dl>
            <details><summary>recipe YAML</summary><pre>\(e(r.text))</pre></details>
            </div>

            """
        for p in records { h += sample(p, recipeIndex: i, count: records.count) }
        h += "</section>\n"
        return h
    }

    static func sample(_ p: PreviewRecord, recipeIndex: Int, count: Int) -> String {
        let plan = p.plan
        let lqSizes = Set(plan.lqSizes)
        let lqText = lqSizes.count > 1 ? "\(p.lqSize) (frame 0; \(lqSizes.count) sizes over the clip)" : "\(p.lqSize)"
        let applied = plan.steps.filter(\.applied).count
        let skipped = plan.steps.filter { !$0.applied }.map(\.at)
        let ratio = Double(p.gtSize.height) / Double(max(1, p.lqSize.height))
        var h = """
            <article class="sample" id="\(sampleID(recipeIndex, p.sample))">
            <h3><span class="key">\(e(p.key))</span><span class="muted">sample \(p.sample + 1) of \(count) · clip \(e(p.clip)) · variant \(p.variant)</span></h3>
            <p class="line">GT \(p.gtSize) → LQ \(e(lqText)) · \(plural(plan.frameCount, "frame")) · \(plural(applied, "step")) applied\(skipped.isEmpty ? "" : ", skipped by the prob gate: \(e(skipped.joined(separator: ", ")))") · \(String(format: "%.1f s", p.seconds))</p>
            <div class="sample-body">
            <figure class="pairs"><a href="\(e(p.pairsPath))"><img src="\(e(p.pairsPath))" alt="GT and LQ of \(e(p.key))"></a>
            <figcaption><b>GT | LQ</b> (×\(String(format: "%.3g", ratio)) nearest) · frames \(p.pairFrames.map(String.init).joined(separator: ", "))</figcaption></figure>
            <div class="strip-wrap"><div class="strip-title">Frame 0, stage by stage</div><div class="strip">

            """
        for s in p.stages { h += stage(s) }
        h += """
            </div></div>
            </div>
            <p class="links"><a href="\(e(p.stagesSheetPath))">all stages on one sheet</a> · <a href="\(e(p.pairsPath))">pairs sheet</a></p>
            <details><summary>plan JSON</summary><pre>\(e(p.planJSON))</pre></details>
            </article>

            """
        return h
    }

    static func stage(_ s: StageCard) -> String {
        let label = s.op == "gt" || s.op == "gt_unsharp" ? "input" : s.op
        var h = """
            <div class="stage op-\(e(PreviewSlug.make(label)))">
            <a href="\(e(s.path))"><img src="\(e(s.path))" alt="\(e(label)) at \(e(s.at))"></a>
            <div class="stage-head"><span class="num">\(s.index)</span><b>\(e(label))</b><span class="size">\(s.width)×\(s.height)</span></div>
            <div class="at">\(breakable(s.at == "input" ? s.op : s.at))</div>

            """
        if !s.parameters.isEmpty {
            h += "<table>"
            for p in s.parameters { h += "<tr><th>\(e(p.name))</th><td>\(e(p.value))</td></tr>" }
            h += "</table>\n"
        }
        h += "</div>\n"
        return h
    }

    static func e(_ s: String) -> String { HTMLText.escape(s) }

    /// A recipe location with line-break opportunities before `[` and after `.`, so long shuffle paths
    /// wrap at their parts instead of mid-word.
    static func breakable(_ location: String) -> String {
        e(location).replacingOccurrences(of: ".", with: ".<wbr>").replacingOccurrences(of: "[", with: "<wbr>[")
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    static let css = """

        :root { --bg: #f4f5f7; --card: #ffffff; --ink: #1c232c; --muted: #667180; --line: #dfe3e8; --accent: #2563c9; --chip: #eef2f7; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        a { color: var(--accent); text-decoration: none; }
        a:hover { text-decoration: underline; }
        code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
        header.top { background: #1c232c; color: #e9edf2; padding: 18px 28px 14px; }
        header.top h1 { margin: 0 0 4px; font-size: 20px; font-weight: 600; }
        header.top .run { margin: 0 0 10px; color: #aeb8c4; }
        header.top .run b { color: #fff; }
        header.top nav a { display: inline-block; margin: 0 6px 4px 0; padding: 3px 10px; border-radius: 999px; background: #2d3743; color: #dfe7f1; }
        main { padding: 8px 28px 24px; }
        h2 { font-size: 18px; margin: 0 0 4px; }
        section { margin: 20px 0; }
        .hint, .muted, .line, .at, figcaption { color: var(--muted); }
        .hint { margin: 0 0 12px; }
        img { display: block; max-width: 100%; height: auto; image-rendering: pixelated; background: #8a9099; }
        figure { margin: 0; }
        figcaption { font-size: 12px; margin-top: 4px; }
        .cmp { display: grid; gap: 10px; align-items: start; overflow-x: auto; }
        .cmp-head { font-weight: 600; padding: 6px 10px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
        .cmp-head span { color: var(--muted); font-weight: 400; margin-left: 6px; }
        .cmp-key { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; padding-top: 6px; overflow-wrap: anywhere; }
        .cmp-cell { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 6px; }
        .recipe { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 18px 20px 8px; }
        .recipe-head { border-bottom: 1px solid var(--line); padding-bottom: 12px; margin-bottom: 4px; }
        .desc { margin: 2px 0 10px; max-width: 70rem; }
        .facts { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0 0 8px; }
        .facts div { display: flex; gap: 6px; }
        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; }
        details { margin: 6px 0; }
        details summary { cursor: pointer; color: var(--accent); }
        details pre { background: #f7f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px; max-height: 420px; overflow: auto; }
        .sample { padding: 14px 0 10px; border-bottom: 1px solid var(--line); }
        .sample:last-child { border-bottom: 0; }
        .sample h3 { margin: 0; font-size: 15px; display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
        .sample h3 .key { font-family: ui-monospace, Menlo, Consolas, monospace; background: var(--chip); padding: 1px 8px; border-radius: 6px; }
        .sample h3 .muted { font-weight: 400; font-size: 13px; }
        .line { margin: 4px 0 10px; }
        .sample-body { display: grid; grid-template-columns: minmax(12rem, 19rem) minmax(0, 1fr); gap: 16px; align-items: start; }
        .strip-title { font-size: 12px; color: var(--muted); margin-bottom: 4px; }
        .strip { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr)); gap: 8px; padding-bottom: 8px; }
        .stage { min-width: 0; background: var(--card); border: 1px solid var(--line); border-top: 3px solid #9aa4b1; border-radius: 8px; padding: 6px; font-size: 12px; }
        .stage img { width: 100%; height: auto; max-height: 14rem; object-fit: contain; background: #2a3038; border-radius: 4px; }
        .stage-head { display: flex; gap: 6px; align-items: baseline; margin-top: 6px; }
        .stage-head .num { color: var(--muted); }
        .stage-head .size { margin-left: auto; color: var(--muted); }
        .stage .at { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 11px; overflow-wrap: break-word; }
        .stage table { border-collapse: collapse; margin-top: 4px; width: 100%; }
        .stage th { text-align: left; font-weight: 400; color: var(--muted); padding: 1px 6px 1px 0; vertical-align: top; white-space: nowrap; }
        .stage td { padding: 1px 0; word-break: break-word; }
        .op-input { border-top-color: #4b5563; }
        .op-blur { border-top-color: #7c3aed; }
        .op-motion-blur { border-top-color: #a855f7; }
        .op-resize { border-top-color: #0891b2; }
        .op-noise { border-top-color: #d97706; }
        .op-jpeg { border-top-color: #dc2626; }
        .op-video { border-top-color: #db2777; }
        .op-quantize, .op-clip { border-top-color: #64748b; }
        .op-paired-crop { border-top-color: #16a34a; }
        .links { margin: 6px 0 0; font-size: 12px; }
        footer { padding: 0 28px 28px; color: var(--muted); font-size: 12px; }
        @media (max-width: 760px) { .sample-body { grid-template-columns: 1fr; } main { padding: 8px 12px; } }

        """
}
