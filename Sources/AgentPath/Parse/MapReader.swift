/// Reads one YAML mapping against its `ObjectSpec`: reports unknown keys (with did-you-mean)
/// and missing required keys up front, then hands out typed values, reporting wrong types
/// where they were written.
struct MapReader {
    let node: YAMLNode
    let spec: ObjectSpec
    /// "agent 'assistant'": names the object in messages.
    let subject: String
    let diagnostics: DiagnosticCollector
    private(set) var values: [String: YAMLPair] = [:]
    let isMapping: Bool

    init?(_ node: YAMLNode, spec: ObjectSpec, subject: String, diagnostics: DiagnosticCollector) {
        self.node = node
        self.spec = spec
        self.subject = subject
        self.diagnostics = diagnostics
        guard let pairs = node.mapping else {
            diagnostics.error(.wrongType, "\(subject) must be a mapping, found \(node.kindDescription)", at: node.location)
            return nil
        }
        isMapping = true
        for pair in pairs {
            guard let key = pair.key.scalar?.text else {
                diagnostics.error(.wrongType, "keys in \(subject) must be plain names, found \(pair.key.kindDescription)", at: pair.key.location)
                continue
            }
            guard spec.field(key) != nil else {
                diagnostics.error(.unknownKey, "unknown key '\(key)' in \(subject)\(Suggest.hint(key, in: spec.keys))", at: pair.key.location)
                continue
            }
            values[key] = pair
        }
        for field in spec.fields where field.required && values[field.name] == nil {
            diagnostics.error(.missingKey, "\(subject) is missing required key '\(field.name)'", at: node.location)
        }
    }

    func has(_ key: String) -> Bool { values[key] != nil }

    func location(_ key: String) -> SourceLocation? { values[key]?.value.location }

    /// The value node, or nil when absent or an explicit null.
    func value(_ key: String) -> YAMLNode? {
        assert(spec.field(key) != nil, "key \(key) not in spec \(spec.name)")
        guard let v = values[key]?.value else { return nil }
        if let s = v.scalar, s.resolved == .null { return nil }
        return v
    }

    func wrongType(_ node: YAMLNode, key: String, expected: String) {
        diagnostics.error(.wrongType, "'\(key)' in \(subject) must be \(expected), found \(node.kindDescription)", at: node.location)
    }

    func string(_ key: String) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.scalar else {
            wrongType(v, key: key, expected: "a string")
            return nil
        }
        return s.text
    }

    func bool(_ key: String) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b)? = v.scalar?.resolved else {
            let hint = v.scalar.map { ["yes", "no", "on", "off", "y", "n"].contains($0.text.lowercased()) } == true
                ? " (YAML 1.2: only true and false are booleans)" : ""
            wrongType(v, key: key, expected: "true or false\(hint)")
            return nil
        }
        return b
    }

    func enumeration<E: ModelEnum>(_ key: String, _: E.Type = E.self) -> E? {
        guard let v = value(key) else { return nil }
        return enumValue(v, key: key)
    }

    func enumValue<E: ModelEnum>(_ v: YAMLNode, key: String) -> E? {
        guard let s = v.scalar else {
            wrongType(v, key: key, expected: "one of \(listing(E.allCases.map(\.rawValue)))")
            return nil
        }
        if let e = E(rawValue: s.text) { return e }
        let valid = E.allCases.map(\.rawValue)
        diagnostics.error(.invalidEnum, "invalid value '\(s.text)' for '\(key)' in \(subject); expected \(listing(valid))\(Suggest.hint(s.text, in: valid))", at: v.location)
        return nil
    }

    /// A list; a lone scalar where a list is expected is an error (write `[x]`).
    func list(_ key: String) -> [YAMLNode] {
        guard let v = value(key) else { return [] }
        guard let items = v.sequence else {
            let example = v.scalar.map { " (write [\($0.text)])" } ?? ""
            wrongType(v, key: key, expected: "a list\(example)")
            return []
        }
        return items
    }

    func enumerations<E: ModelEnum>(_ key: String, _: E.Type = E.self) -> [E] {
        var out: [E] = []
        for item in list(key) {
            if let e: E = enumValue(item, key: key) {
                if out.contains(e) {
                    diagnostics.warning(.duplicateEntry, "'\(e.rawValue)' is listed twice in '\(key)' of \(subject)", at: item.location)
                } else {
                    out.append(e)
                }
            }
        }
        return out
    }

    func strings(_ key: String) -> [String] {
        list(key).compactMap { item in
            guard let s = item.scalar else {
                wrongType(item, key: key, expected: "a list of strings")
                return nil
            }
            return s.text
        }
    }

    func ref(_ key: String) -> Ref? {
        guard let v = value(key) else { return nil }
        return reference(v, key: key)
    }

    func reference(_ v: YAMLNode, key: String) -> Ref? {
        guard let s = v.scalar, s.resolved != .null else {
            wrongType(v, key: key, expected: "an id")
            return nil
        }
        return Ref(s.text, at: v.location)
    }

    func refs(_ key: String) -> [Ref] {
        var seen = Set<String>()
        var out: [Ref] = []
        for item in list(key) {
            guard let r = reference(item, key: key) else { continue }
            if seen.insert(r.id).inserted {
                out.append(r)
            } else {
                diagnostics.warning(.duplicateEntry, "'\(r.id)' is listed twice in '\(key)' of \(subject)", at: r.location)
            }
        }
        return out
    }

    func duration(_ key: String) -> TTL? {
        guard let v = value(key) else { return nil }
        guard let s = v.scalar else {
            wrongType(v, key: key, expected: "a duration")
            return nil
        }
        if let ttl = Self.parseDuration(s.text) { return ttl }
        diagnostics.error(.badDuration, "invalid duration '\(s.text)' for '\(key)' in \(subject); write `never` or a count with a unit: 30s, 15m, 1h30m, 7d", at: v.location)
        return nil
    }

    static func parseDuration(_ text: String) -> TTL? {
        if text == "never" { return .never }
        var total = 0
        var number: Int?
        var sawUnit = false
        var lastUnitRank = Int.max
        for ch in text {
            if let d = ch.wholeNumberValue, ch.isASCII {
                let (m, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (n, o2) = m.addingReportingOverflow(d)
                if o1 || o2 { return nil }
                number = n
                continue
            }
            let units: [Character: (Int, Int)] = ["d": (86_400, 3), "h": (3_600, 2), "m": (60, 1), "s": (1, 0)]
            guard let (size, rank) = units[ch], let n = number, rank < lastUnitRank else { return nil }
            let (p, o1) = n.multipliedReportingOverflow(by: size)
            let (t, o2) = total.addingReportingOverflow(p)
            if o1 || o2 { return nil }
            total = t
            number = nil
            sawUnit = true
            lastUnitRank = rank
        }
        guard sawUnit, number == nil else { return nil }
        return .seconds(total)
    }

    /// The nested objects of a list-of-objects key.
    func objects(_ key: String) -> [YAMLNode] { list(key) }

    /// Every key present with where its value was written.
    var keyLocations: [String: SourceLocation] {
        values.mapValues(\.value.location)
    }
}
