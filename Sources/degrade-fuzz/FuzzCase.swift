import Foundation

/// One generated case: its inputs written into `folder`, the `degrade` arguments, and the folders the run may change.
struct FuzzCase {
    enum Kind: String, CaseIterable { case recipe, plan, frames, catalog }

    var kind: Kind
    var folder: String
    var arguments: [String] = []
    /// `--out` of the command (and a catalog folder that `render` resumes into): changes there are allowed.
    var outputs: [String] = []
    var notes: [String] = []

    /// Makes case `index` of a run: the same (seed, index) always makes the same case.
    init(index: Int, seed: UInt64, corpus: Corpus, folder: String) throws {
        var rng = FuzzRandom(seed: seed, stream: UInt64(index))
        kind = Kind.allCases[rng.below(Kind.allCases.count)]
        self.folder = folder
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let out = "\(folder)/out"
        outputs = [out]
        let bicubic = corpus.recipes.first { $0.hasSuffix("/bicubic.yaml") } ?? corpus.recipes[0]
        switch kind {
        case .recipe:
            let base = rng.pick(corpus.recipes)
            let (bytes, notes) = TextMutator.mutate(try String(contentsOfFile: base, encoding: .utf8), json: false, rng: &rng)
            self.notes = ["from \(URL(fileURLWithPath: base).lastPathComponent)"] + notes
            let recipe = "\(folder)/recipe.yaml"
            try Data(bytes).write(to: URL(fileURLWithPath: recipe))
            // Rendering runs only for the light recipe: a heavy one (a 400 crop, USM) takes longer than the time
            // limit in a debug build on a loaded machine, which would be reported as a hang it is not.
            if !base.hasSuffix("/bicubic.yaml") || rng.chance(0.5) {
                arguments = ["plan", recipe, "--seed", String(rng.below(1000)), "--clip-size", "96x64", "--clip-frames", "40"]
            } else {
                arguments = ["apply", recipe, "--input", corpus.stills, "--source", "pan", "--pan-size", "96x64", "--pan-frames", "3", "--key", "gradient@pan", "--out", out]
            }
        case .plan:
            let (bytes, notes) = TextMutator.mutate(try String(contentsOfFile: corpus.plan, encoding: .utf8), json: true, rng: &rng)
            self.notes = notes
            let plan = "\(folder)/plan.json"
            try Data(bytes).write(to: URL(fileURLWithPath: plan))
            arguments = ["apply", bicubic, "--plan", plan, "--input", corpus.stills] + Corpus.panOptions + ["--out", out]
        case .frames:
            let stills = "\(folder)/stills"
            try fm.copyItem(atPath: corpus.stills, toPath: stills)
            let names = try fm.contentsOfDirectory(atPath: stills).sorted()
            let victim = rng.pick(names)
            let (bytes, note) = ByteMutator.mutate(Array(try Data(contentsOf: URL(fileURLWithPath: "\(stills)/\(victim)"))), rng: &rng)
            try Data(bytes).write(to: URL(fileURLWithPath: "\(stills)/\(victim)"))
            notes = ["\(victim): \(note)"]
            let key = String(victim.split(separator: ".")[0])
            switch rng.below(3) {
            case 0: arguments = ["apply", bicubic, "--input", stills, "--source", "stills", "--key", key, "--out", out]
            case 1: arguments = ["apply", bicubic, "--input", stills] + Corpus.panOptions + ["--key", "\(key)@pan", "--out", out]
            default: arguments = ["clips", "--input", stills, "--source", "stills", "--json"]
            }
        case .catalog:
            let set = "\(folder)/set"
            try fm.copyItem(atPath: corpus.set, toPath: set)
            let index = "\(set)/index.sqlite"
            switch rng.below(10) {
            case 0...5: notes = CatalogMutator.mutate(database: index, rng: &rng)
            case 6...8:
                let (bytes, note) = ByteMutator.mutate(Array(try Data(contentsOf: URL(fileURLWithPath: index))), rng: &rng)
                try Data(bytes).write(to: URL(fileURLWithPath: index))
                notes = ["index.sqlite: \(note)"]
            default:
                let frames = (fm.enumerator(atPath: set)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".png") }.sorted()
                if let f = frames.isEmpty ? nil : rng.pick(frames) {
                    try fm.removeItem(atPath: "\(set)/\(f)")
                    notes = ["removed \(f)"]
                }
            }
            switch rng.below(3) {
            case 0: arguments = ["audit", bicubic, "--against", set, "--samples", "50", "--quiet", "--out", out]
            case 1: arguments = ["merge-index", "--out", out, set]
            default:
                arguments = ["render", bicubic, "--input", corpus.stills] + Corpus.panOptions + ["--frames", "2", "--jobs", "1", "--quiet", "--out", set]
                outputs.append(set)
            }
        }
    }
}
