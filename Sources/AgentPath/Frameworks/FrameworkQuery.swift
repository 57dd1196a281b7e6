/// The answer to `agentpath frameworks show ID`.
public enum FrameworkLookup: Sendable, Equatable {
    /// One item; `note` says how the query was read when it was not written as the id is.
    case found(FrameworkRef, note: String?)
    /// The id names an item in several catalogs: qualify it (`TM:T3`).
    case ambiguous([FrameworkRef])
    case notFound(suggestion: String?)
}

/// Coverage of one catalog by the rule set.
public struct CatalogCoverage: Sendable {
    public struct Detected: Sendable, Hashable {
        public var id: String
        public var rules: [String]
    }
    /// An item that rules do not name itself but whose items they may: counted over its leaf descendants.
    public struct Group: Sendable, Hashable {
        public var id: String
        public var detected: Int
        public var total: Int
    }
    public struct Excluded: Sendable, Hashable {
        public var id: String
        public var reason: String
    }
    /// In scope but detected by no rule; the control kinds and attack-path steps that touch it.
    public struct Gap: Sendable, Hashable {
        public var id: String
        public var controls: [String]
        public var steps: [String]
    }
    public struct KindCount: Sendable, Hashable {
        public var kind: String
        public var detected: Int
        public var total: Int
    }

    public var catalog: String
    public var total: Int
    public var detected: [Detected]
    public var groups: [Group]
    public var outOfScope: [Excluded]
    public var gaps: [Gap]
    public var byKind: [KindCount]
}

extension FrameworkSet {
    /// The form ids are compared in by `lookup`: lower case, without spaces, `-` and `_`.
    /// `GOVERN-1.1`, `govern 1.1` and `GOVERN 1.1` are one id; so are `asi03` and `ASI03`.
    public static func normalizeID(_ s: String) -> String {
        String(String.UnicodeScalarView(s.lowercased().unicodeScalars.filter { $0 != " " && $0 != "-" && $0 != "_" && $0 != "\t" }))
    }

    public func catalog(of ref: FrameworkRef) -> FrameworkCatalog? { catalog(ref.catalog) }

    /// `ASI03`, `NIST:GOVERN-1.1`, `GOVERN 1.1`, `AML.T0051.001`, `LLM06:2025`, `TM:T3`,
    /// `MAESTRO:L3`, `owasp-asi-2026:ASI03`: an id as written or normalised, optionally
    /// qualified by a catalog prefix or key. A bare id without its edition (`LLM06`) is found
    /// with a note.
    public func lookup(_ query: String) -> FrameworkLookup {
        let q = query.trimmingCharacters(in: .whitespaces)
        guard !q.isEmpty else { return .notFound(suggestion: nil) }
        let direct = matches(q, in: catalogs)
        if !direct.isEmpty { return pick(direct, query: q) }
        if let colon = q.firstIndex(of: ":") {
            let qualifier = q[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let rest = String(q[q.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            let scoped = catalogs.filter { $0.prefix.lowercased() == qualifier || $0.key == qualifier }
            if !scoped.isEmpty {
                let m = matches(rest, in: scoped)
                if !m.isEmpty { return pick(m, query: rest) }
                if let e = editionMatch(rest, in: scoped) { return e }
                return .notFound(suggestion: suggestion(for: rest, in: scoped, qualify: true))
            }
        }
        if let e = editionMatch(q, in: catalogs) { return e }
        return .notFound(suggestion: suggestion(for: q, in: catalogs, qualify: false))
    }

    func matches(_ q: String, in scope: [FrameworkCatalog]) -> [FrameworkRef] {
        let n = Self.normalizeID(q)
        return scope.flatMap { c in c.items.filter { Self.normalizeID($0.id) == n }.map { FrameworkRef(catalog: c.key, id: $0.id) } }
    }

    func pick(_ refs: [FrameworkRef], query: String) -> FrameworkLookup {
        if refs.count == 1 { return .found(refs[0], note: nil) }
        let exact = refs.filter { $0.id == query }
        if exact.count == 1 { return .found(exact[0], note: nil) }
        return .ambiguous(refs)
    }

    /// `LLM06` for `LLM06:2025`: ids that carry their edition after a colon.
    func editionMatch(_ q: String, in scope: [FrameworkCatalog]) -> FrameworkLookup? {
        let n = Self.normalizeID(q)
        let refs = scope.flatMap { c in
            c.items.filter { Self.normalizeID($0.id).hasPrefix(n + ":") && !$0.id.dropFirst(q.count).dropFirst().contains(":") }
                .map { FrameworkRef(catalog: c.key, id: $0.id) }
        }
        switch refs.count {
        case 0: return nil
        case 1: return .found(refs[0], note: "'\(q)' is written '\(refs[0].id)': ids of this catalog carry their edition")
        default: return .ambiguous(refs)
        }
    }

    func suggestion(for q: String, in scope: [FrameworkCatalog], qualify: Bool) -> String? {
        var byNormal: [String: FrameworkRef] = [:]
        for c in scope {
            for item in c.items { byNormal[Self.normalizeID(item.id)] = byNormal[Self.normalizeID(item.id)] ?? FrameworkRef(catalog: c.key, id: item.id) }
        }
        guard let best = Self.closestID(to: Self.normalizeID(q), in: byNormal.keys), let ref = byNormal[best] else { return nil }
        return qualify ? qualified(ref) : ref.id
    }

    /// Did-you-mean among ids: the closest by edit distance, ties going to the longest common
    /// prefix (`AML.T0051.003` → `AML.T0051.001`, not `AML.T0011.003`), then alphabetical order.
    public static func closestID(to word: String, in candidates: some Sequence<String>) -> String? {
        let w = Array(word.lowercased().utf8)
        let budget = max(2, w.count / 3)
        var best: (id: String, distance: Int, prefix: Int)?
        for c in candidates {
            let cu = Array(c.lowercased().utf8)
            if abs(cu.count - w.count) > budget { continue }
            let d = Suggest.distance(w, cu, limit: budget)
            guard d <= budget else { continue }
            let p = zip(w, cu).prefix { $0 == $1 }.count
            if let b = best, (d, -p, c) >= (b.distance, -b.prefix, b.id) { continue }
            best = (c, d, p)
        }
        return best?.id
    }

    /// `TM:T3`: the id qualified by its catalog's prefix.
    public func qualified(_ ref: FrameworkRef) -> String {
        "\(catalog(ref.catalog)?.prefix ?? ref.catalog):\(ref.id)"
    }

    /// Items whose parent is `ref`, in catalog order.
    public func children(of ref: FrameworkRef) -> [FrameworkRef] {
        (catalog(ref.catalog)?.items ?? []).filter { $0.parent == ref.id }.map { FrameworkRef(catalog: ref.catalog, id: $0.id) }
    }

    /// The item's own (official) `maps_to`, catalogs in load order, ids as written.
    public func mapsTo(_ ref: FrameworkRef) -> [FrameworkRef] {
        guard let item = item(ref) else { return [] }
        return catalogs.flatMap { c in (item.mapsTo[c.key] ?? []).map { FrameworkRef(catalog: c.key, id: $0) } }
    }

    /// Items whose `maps_to` names `ref`: the official mappings read backwards.
    public func mappedFrom(_ ref: FrameworkRef) -> [FrameworkRef] {
        catalogs.flatMap { c in
            c.items.filter { $0.mapsTo[ref.catalog]?.contains(ref.id) == true }.map { FrameworkRef(catalog: c.key, id: $0.id) }
        }
    }

    /// Rule ids whose crosswalk entry names `ref`, sorted.
    public func rules(mappingTo ref: FrameworkRef) -> [String] {
        crosswalk.rules.keys.sorted().filter { crosswalk.refs(rule: $0).contains(ref) }
    }

    /// Control kinds whose crosswalk entry names `ref`, in the language's order.
    public func controls(mappingTo ref: FrameworkRef) -> [String] {
        ControlKind.allCases.filter { crosswalk.refs(control: $0).contains(ref) }.map(\.rawValue)
    }

    /// Step techniques whose crosswalk entry names `ref`, in path order.
    public func steps(mappingTo ref: FrameworkRef) -> [String] {
        Crosswalk.stepTechniqueNames.filter { crosswalk.refs(step: $0).contains(ref) }
    }

    /// Why the item is out of scope, when a crosswalk says so.
    public func outOfScopeReason(_ ref: FrameworkRef) -> String? {
        guard let item = item(ref) else { return nil }
        return crosswalk.outOfScope.first { $0.catalog == ref.catalog && ($0.ids.contains(ref.id) || $0.kinds.contains(item.kind)) }?.reason
    }

    /// Per catalog: what the rules detect directly, which items are groups counted through
    /// their items, which are declared out of scope, and the gaps that remain.
    public func coverage() -> [CatalogCoverage] {
        var rulesByRef: [FrameworkRef: [String]] = [:]
        for rule in crosswalk.rules.keys.sorted() {
            for ref in crosswalk.refs(rule: rule) where rulesByRef[ref]?.contains(rule) != true { rulesByRef[ref, default: []].append(rule) }
        }
        return catalogs.map { c in
            let ref = { (id: String) in FrameworkRef(catalog: c.key, id: id) }
            var childrenOf: [String: [String]] = [:]
            for item in c.items { if let p = item.parent { childrenOf[p, default: []].append(item.id) } }
            func leaves(_ id: String) -> [String] {
                guard let kids = childrenOf[id], !kids.isEmpty else { return [id] }
                return kids.flatMap(leaves)
            }
            var cov = CatalogCoverage(catalog: c.key, total: c.items.count, detected: [], groups: [], outOfScope: [], gaps: [], byKind: [])
            var detectedIDs = Set<String>()
            for item in c.items {
                if let rules = rulesByRef[ref(item.id)] {
                    cov.detected.append(.init(id: item.id, rules: rules))
                    detectedIDs.insert(item.id)
                } else if let reason = outOfScopeReason(ref(item.id)) {
                    cov.outOfScope.append(.init(id: item.id, reason: reason))
                } else if childrenOf[item.id] != nil {
                    let l = leaves(item.id)
                    cov.groups.append(.init(id: item.id, detected: l.filter { rulesByRef[ref($0)] != nil }.count, total: l.count))
                } else {
                    cov.gaps.append(.init(id: item.id, controls: controls(mappingTo: ref(item.id)), steps: steps(mappingTo: ref(item.id))))
                }
            }
            cov.byKind = c.kindCounts.map { k in
                .init(kind: k.kind, detected: c.items.filter { $0.kind == k.kind && detectedIDs.contains($0.id) }.count, total: k.count)
            }
            return cov
        }
    }
}
