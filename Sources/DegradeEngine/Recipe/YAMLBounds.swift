import CYaml

/// Size checks run on libyaml's event stream before Yams composes the document. Composing is where an
/// alias bomb (`a: &a [x, x]`, `b: &b [*a, *a]`, … doubling per line) becomes exponential — and Yams hashes
/// every mapping key in full, so a bomb used as a key would never finish — and where `[[[[…` a megabyte deep
/// would overflow the stack, since the composer recurses once per level. The event parser is iterative, so
/// counting here is linear in the text.
enum YAMLBounds {
    /// Refuses a document whose nodes, every alias expanded, exceed `maxNodes`, or which nests deeper than `maxDepth`.
    /// Syntax errors are left for the composer, which reports them with their line.
    static func check(_ text: String, file: String, maxNodes: Int = RecipeLimits.maxNodes,
                      maxDepth: Int = RecipeLimits.maxNesting) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var anchorSizes: [String: Int] = [:]  // expanded node count of each anchored node
            var open: [(count: Int, anchor: String?)] = []  // collections being read
            var total = 0  // every node so far, aliases expanded
            func anchorName(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? { p.map { String(cString: $0) } }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                // A node of `size` nodes is complete: count it towards its parent and the total.
                func completed(_ size: Int, anchor: String?) throws {
                    let size = min(size, maxNodes + 1)  // saturate: sizes of nested bombs overflow Int
                    if let anchor { anchorSizes[anchor] = size }
                    if !open.isEmpty { open[open.count - 1].count = min(open[open.count - 1].count + size, maxNodes + 1) }
                    total = min(total + size, maxNodes + 1)
                    if total > maxNodes {
                        throw RecipeError(file: file, line: line, key: "",
                                          message: "the YAML expands to more than the limit of \(maxNodes) values (each use of an alias `*name` counts its whole value)")
                    }
                }
                switch event.type {
                case YAML_SCALAR_EVENT:
                    try completed(1, anchor: anchorName(event.data.scalar.anchor))
                case YAML_ALIAS_EVENT:
                    let name = anchorName(event.data.alias.anchor) ?? ""
                    try completed(anchorSizes[name] ?? 1, anchor: nil)
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let anchor = event.type == YAML_SEQUENCE_START_EVENT ? anchorName(event.data.sequence_start.anchor)
                        : anchorName(event.data.mapping_start.anchor)
                    open.append((1, anchor))
                    if open.count > maxDepth {
                        throw RecipeError(file: file, line: line, key: "",
                                          message: "the YAML nests deeper than the limit of \(maxDepth) levels")
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let done = open.popLast() else { return }
                    // The collection's own node was not yet in `total`; its children were.
                    total -= done.count - 1
                    try completed(done.count, anchor: done.anchor)
                case YAML_STREAM_END_EVENT, YAML_NO_EVENT:
                    return
                default:
                    break
                }
            }
        }
    }
}
