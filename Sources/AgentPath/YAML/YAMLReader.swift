import CYaml

/// Limits that keep hostile input bounded in time and memory.
public struct YAMLLimits: Sendable {
    public var maxDepth = 64
    /// Nodes that aliases may add on top of the nodes written out in the file.
    public var maxAliasExpansion = 100_000
    public var maxFileBytes = 64 << 20

    public init() {}
}

/// Reads one YAML document through libyaml's event API into a `YAMLNode` tree.
/// Errors go to the collector with their position; the result is nil when the file cannot
/// be read as a whole.
public struct YAMLReader {
    public var limits: YAMLLimits

    public init(limits: YAMLLimits = YAMLLimits()) { self.limits = limits }

    public func read(bytes: [UInt8], file: Int32, diagnostics: DiagnosticCollector) -> YAMLNode? {
        let origin = SourceLocation(file: file, line: 1, column: 1)
        guard bytes.count <= limits.maxFileBytes else {
            diagnostics.error(.fileTooLarge, "file is \(bytes.count) bytes; the limit is \(limits.maxFileBytes)", at: origin)
            return nil
        }
        return bytes.withUnsafeBufferPointer { buffer in
            var builder = TreeBuilder(file: file, limits: limits, diagnostics: diagnostics, bytes: buffer)
            return builder.run()
        }
    }
}

private struct TreeBuilder {
    enum Frame {
        case mapping(SourceLocation, anchor: String?, pairs: [YAMLPair], key: YAMLNode?, size: Int)
        case sequence(SourceLocation, anchor: String?, items: [YAMLNode], size: Int)
    }

    let file: Int32
    let limits: YAMLLimits
    let diagnostics: DiagnosticCollector
    let bytes: UnsafeBufferPointer<UInt8>
    var stack: [Frame] = []
    var anchors: [String: YAMLNode] = [:]
    var aliasNodes = 0
    var root: YAMLNode?
    var documents = 0

    init(file: Int32, limits: YAMLLimits, diagnostics: DiagnosticCollector, bytes: UnsafeBufferPointer<UInt8>) {
        self.file = file
        self.limits = limits
        self.diagnostics = diagnostics
        self.bytes = bytes
    }

    func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int32(clamping: mark.line + 1), column: Int32(clamping: mark.column + 1))
    }

    mutating func run() -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, bytes.baseAddress ?? UnsafePointer(bitPattern: 1), bytes.count)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                report(parser)
                return nil
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { break }
            guard handle(&event) else { return nil }
        }
        return root
    }

    /// Returns false to stop reading (the error is already reported).
    mutating func handle(_ event: inout yaml_event_t) -> Bool {
        let at = location(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                diagnostics.error(.multipleDocuments, "a model file holds one YAML document; split further documents into their own files", at: at)
                return false
            }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = string(s.value, s.length)
            var plain = s.style == YAML_PLAIN_SCALAR_STYLE
            if let tag = s.tag.map({ String(cString: $0) }) {
                // `!!str 123` is the string "123"; other tags leave resolution to the schema.
                if tag == "tag:yaml.org,2002:str" || tag == "!" { plain = false }
            }
            let node = YAMLNode(.scalar(YAMLScalar(text: text, isPlain: plain)), at: at, size: 1)
            return add(node, anchor: s.anchor.map { String(cString: $0) })
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard var node = anchors[name] else {
                diagnostics.error(.undefinedAlias, "alias '*\(name)' names no anchor defined before it", at: at)
                return false
            }
            aliasNodes += node.size
            if aliasNodes > limits.maxAliasExpansion {
                diagnostics.error(.aliasLimit, "aliases expand to more than \(limits.maxAliasExpansion) nodes; refusing to expand further (alias bomb?)", at: at)
                return false
            }
            // The alias stands where it is written, for diagnostics about its use.
            node.location = at
            return add(node, anchor: nil)
        case YAML_SEQUENCE_START_EVENT:
            guard push(at: at) else { return false }
            stack.append(.sequence(at, anchor: event.data.sequence_start.anchor.map { String(cString: $0) }, items: [], size: 1))
        case YAML_MAPPING_START_EVENT:
            guard push(at: at) else { return false }
            stack.append(.mapping(at, anchor: event.data.mapping_start.anchor.map { String(cString: $0) }, pairs: [], key: nil, size: 1))
        case YAML_SEQUENCE_END_EVENT:
            guard case .sequence(let start, let anchor, let items, let size) = stack.removeLast() else { return false }
            return add(YAMLNode(.sequence(items), at: start, size: size), anchor: anchor)
        case YAML_MAPPING_END_EVENT:
            guard case .mapping(let start, let anchor, let pairs, _, let size) = stack.removeLast() else { return false }
            return add(YAMLNode(.mapping(merge(pairs)), at: start, size: size), anchor: anchor)
        default:
            break
        }
        return true
    }

    /// `at` is where the new collection starts: the one that goes too deep.
    mutating func push(at: SourceLocation) -> Bool {
        if stack.count >= limits.maxDepth {
            diagnostics.error(.nestingTooDeep, "collections nest deeper than \(limits.maxDepth) levels", at: at)
            return false
        }
        return true
    }

    mutating func add(_ node: YAMLNode, anchor: String?) -> Bool {
        if let anchor { anchors[anchor] = node }
        guard var top = stack.popLast() else {
            root = node
            return true
        }
        switch top {
        case .sequence(let l, let a, var items, let size):
            // Drop `top`'s reference to the array so that the append happens in place;
            // otherwise every append copies the whole list (quadratic in its length).
            top = .sequence(l, anchor: nil, items: [], size: 0)
            items.append(node)
            stack.append(.sequence(l, anchor: a, items: items, size: size + node.size))
        case .mapping(let l, let a, var pairs, let key, let size):
            top = .sequence(l, anchor: nil, items: [], size: 0) // as above
            if let key {
                pairs.append(YAMLPair(key: key, value: node))
                stack.append(.mapping(l, anchor: a, pairs: pairs, key: nil, size: size + node.size))
            } else {
                stack.append(.mapping(l, anchor: a, pairs: pairs, key: node, size: size + node.size))
            }
        }
        return true
    }

    /// Applies `<<` merge keys: explicit keys win, then earlier merge sources over later ones.
    /// Also reports keys written twice in one mapping.
    func merge(_ pairs: [YAMLPair]) -> [YAMLPair] {
        var seen = Set<String>()
        var result: [YAMLPair] = []
        result.reserveCapacity(pairs.count)
        var sources: [YAMLNode] = []
        for pair in pairs {
            if let k = pair.key.scalar, k.isPlain, k.text == "<<" {
                switch pair.value.content {
                case .mapping: sources.append(pair.value)
                case .sequence(let items): sources.append(contentsOf: items)
                case .scalar:
                    diagnostics.error(.wrongType, "a merge key `<<` takes a mapping or a list of mappings, found \(pair.value.kindDescription)", at: pair.value.location)
                }
                continue
            }
            if let k = pair.key.scalar {
                if !seen.insert(k.text).inserted {
                    diagnostics.error(.duplicateKey, "key '\(k.text)' appears twice in this mapping", at: pair.key.location)
                    continue
                }
            }
            result.append(pair)
        }
        for source in sources {
            guard let entries = source.mapping else {
                diagnostics.error(.wrongType, "a merge key `<<` takes mappings, found \(source.kindDescription)", at: source.location)
                continue
            }
            for entry in entries {
                if let k = entry.key.scalar, seen.insert(k.text).inserted { result.append(entry) }
            }
        }
        return result
    }

    func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, _ length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    func report(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        if parser.error == YAML_READER_ERROR {
            // Reader errors carry a byte offset, not a mark.
            let at = locate(offset: parser.problem_offset)
            let detail = parser.problem_value >= 0 ? " (byte 0x\(String(parser.problem_value, radix: 16, uppercase: true)))" : ""
            diagnostics.error(.invalidEncoding, "\(problem)\(detail); a model file must be UTF-8 text", at: at)
            return
        }
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) \(context)"
        }
        if problem.contains("found character that cannot start any token"), byte(at: parser.problem_mark.index) == UInt8(ascii: "\t") {
            message += " (a tab; YAML indents with spaces only)"
        }
        diagnostics.error(.yamlSyntax, message, at: clampedToInput(parser.problem_mark))
    }

    /// libyaml ends a stream that lacks a final line break by moving to column 0 of a further
    /// line, which the file does not have. Report such an end-of-input error at the end of
    /// the last line instead.
    func clampedToInput(_ mark: yaml_mark_t) -> SourceLocation {
        guard mark.index >= bytes.count, mark.column == 0, mark.line > 0,
              let last = bytes.last, last != 10, last != 13 else { return location(mark) }
        var characters = 0
        var i = bytes.count - 1
        while i >= 0, bytes[i] != 10, bytes[i] != 13 {
            if bytes[i] & 0xC0 != 0x80 { characters += 1 }
            i -= 1
        }
        return SourceLocation(file: file, line: Int32(clamping: mark.line), column: Int32(clamping: characters + 1))
    }

    func byte(at index: Int) -> UInt8? {
        index >= 0 && index < bytes.count ? bytes[index] : nil
    }

    func locate(offset: Int) -> SourceLocation {
        var line: Int32 = 1
        var column: Int32 = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 10 {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
