/// Text and JSON for `agentpath frameworks` (list), `frameworks show ID` and `frameworks coverage`.
public struct FrameworkReport {
    public let set: FrameworkSet

    public init(_ set: FrameworkSet) { self.set = set }

    // MARK: - List

    public func listText() -> String {
        var rows: [[String]] = [["KEY", "PREFIX", "EDITION", "ITEMS", "BY KIND", "VERIFIED", "TITLE"]]
        for c in set.catalogs {
            rows.append([c.key, c.prefix, c.edition, String(c.items.count), kinds(c), c.verified ? "yes" : "no", c.title])
        }
        var out = table(rows)
        let total = set.catalogs.reduce(0) { $0 + $1.items.count }
        out += "\n\(set.catalogs.count) catalogs, \(total) items. "
        let cw = set.crosswalk
        out += "Crosswalk: \(cw.rules.count) rules, \(cw.controls.count) control kinds, \(cw.steps.count) step techniques mapped.\n"
        out += "Show an item: agentpath frameworks show ASI03 (or NIST:GOVERN-1.1, AML.T0051.001, LLM06:2025, TM:T3, MAESTRO:L3)\n"
        return out
    }

    public func listJSON() -> JSON {
        .object([
            ("version", .int(1)),
            ("catalogs", .array(set.catalogs.map { c in
                .object([
                    ("key", .string(c.key)),
                    ("prefix", .string(c.prefix)),
                    ("title", .string(c.title)),
                    ("edition", .string(c.edition)),
                    ("publisher", .string(c.publisher)),
                    ("url", .string(c.url)),
                    ("licence", .string(c.licence)),
                    ("verified", .bool(c.verified)),
                    ("items", .int(c.items.count)),
                    ("kinds", .object(c.kindCounts.map { ($0.kind, .int($0.count)) })),
                    ("file", JSON.optional(set.files.path(c.location))),
                ])
            })),
            ("crosswalk", .object([
                ("rules", JSON.strings(set.crosswalk.rules.keys.sorted())),
                ("controls", JSON.strings(ControlKind.allCases.map(\.rawValue).filter { set.crosswalk.controls[$0] != nil })),
                ("steps", JSON.strings(Crosswalk.stepTechniqueNames.filter { set.crosswalk.steps[$0] != nil })),
            ])),
        ])
    }

    func kinds(_ c: FrameworkCatalog) -> String {
        c.kindCounts.map { "\($0.count) \($0.kind)" }.joined(separator: ", ")
    }

    // MARK: - Show

    public func showText(_ ref: FrameworkRef, note: String? = nil) -> String {
        guard let item = set.item(ref), let c = set.catalog(ref.catalog) else { return "" }
        var out = ""
        if let note { out += "note: \(note)\n" }
        out += "\(item.id) — \(item.title)\(item.officialTitle ? "" : " (agentpath's title; the publisher gives none)")\n"
        var fields: [(String, String)] = [
            ("catalog", "\(c.key) (\(c.prefix)) — \(c.title), edition \(c.edition)\(c.verified ? "" : ", not verified against the source")"),
            ("kind", item.kind),
        ]
        if !item.altTitles.isEmpty { fields.append(("also called", item.altTitles.joined(separator: "; "))) }
        if !item.formerTitles.isEmpty { fields.append(("formerly", item.formerTitles.joined(separator: "; "))) }
        if !item.description.isEmpty { fields.append(("description", item.description)) }
        if let p = item.parent { fields.append(("parent", line(FrameworkRef(catalog: ref.catalog, id: p), withCatalog: false))) }
        if let file = set.files.path(item.location) { fields.append(("defined at", "\(file):\(item.location.line)")) }
        out += aligned(fields)
        let children = set.children(of: ref)
        if !children.isEmpty {
            out += "\nitems (\(children.count)):\n"
            for child in children { out += "  \(line(child, withCatalog: false))\n" }
        }
        let forward = set.mapsTo(ref)
        let backward = set.mappedFrom(ref)
        out += "\nofficial mappings (published with the catalogs):\n"
        if forward.isEmpty && backward.isEmpty { out += "  none\n" }
        out += table(forward.map { ["  →", $0.catalog, $0.id, shortTitle($0)] } + backward.map { ["  ←", $0.catalog, $0.id, shortTitle($0)] })

        let rules = set.rules(mappingTo: ref)
        let controls = set.controls(mappingTo: ref)
        let steps = set.steps(mappingTo: ref)
        out += "\nagentpath crosswalk:\n"
        var cw: [(String, String)] = [
            ("detected by rules", rules.isEmpty ? "none" : rules.joined(separator: ", ")),
            ("mitigated by controls", controls.isEmpty ? "none" : controls.joined(separator: ", ")),
        ]
        let via = controlsViaMappings(ref, excluding: Set(controls))
        var throughOrder: [FrameworkRef] = []
        var byThrough: [FrameworkRef: [String]] = [:]
        for v in via {
            if byThrough[v.through] == nil { throughOrder.append(v.through) }
            byThrough[v.through, default: []].append(v.control)
        }
        for (i, through) in throughOrder.enumerated() {
            cw.append((i == 0 ? "  through mappings" : "", "\(byThrough[through]!.joined(separator: ", ")) (via \(through.id))"))
        }
        cw.append(("attack-path steps", steps.isEmpty ? "none" : steps.joined(separator: ", ")))
        if rules.isEmpty {
            if let reason = set.outOfScopeReason(ref) {
                cw.append(("coverage", "out of scope: \(reason)"))
            } else if !children.isEmpty {
                let cov = set.coverage().first { $0.catalog == ref.catalog }?.groups.first { $0.id == ref.id }
                cw.append(("coverage", "a group: \(cov?.detected ?? 0) of \(cov?.total ?? 0) of its items detected"))
            } else {
                cw.append(("coverage", "not detected by any rule (a gap)"))
            }
        }
        out += aligned(cw, indent: "  ")
        return out
    }

    /// Control kinds that map to an item this one officially maps to (either direction).
    func controlsViaMappings(_ ref: FrameworkRef, excluding: Set<String>) -> [(control: String, through: FrameworkRef)] {
        var out: [(String, FrameworkRef)] = []
        var seen = excluding
        for other in set.mapsTo(ref) + set.mappedFrom(ref) {
            for control in set.controls(mappingTo: other) where seen.insert(control).inserted {
                out.append((control, other))
            }
        }
        return out
    }

    public func showJSON(_ ref: FrameworkRef, note: String? = nil) -> JSON {
        guard let item = set.item(ref), let c = set.catalog(ref.catalog) else { return .null }
        func refs(_ list: [FrameworkRef]) -> JSON {
            .array(list.map { r in
                .object([("catalog", .string(r.catalog)), ("id", .string(r.id)), ("title", JSON.optional(set.item(r)?.title))])
            })
        }
        let rules = set.rules(mappingTo: ref)
        let coverage: String
        if !rules.isEmpty { coverage = "detected" } else if set.outOfScopeReason(ref) != nil { coverage = "out_of_scope" } else if !set.children(of: ref).isEmpty { coverage = "group" } else { coverage = "gap" }
        return .object([
            ("version", .int(1)),
            ("note", JSON.optional(note)),
            ("catalog", .object([("key", .string(c.key)), ("prefix", .string(c.prefix)), ("title", .string(c.title)), ("edition", .string(c.edition)), ("verified", .bool(c.verified))])),
            ("id", .string(item.id)),
            ("qualified", .string(set.qualified(ref))),
            ("kind", .string(item.kind)),
            ("title", .string(item.title)),
            ("official_title", .bool(item.officialTitle)),
            ("alt_titles", JSON.strings(item.altTitles)),
            ("former_titles", JSON.strings(item.formerTitles)),
            ("description", .string(item.description)),
            ("parent", item.parent.map { refs([FrameworkRef(catalog: ref.catalog, id: $0)]) } ?? .null),
            ("children", refs(set.children(of: ref))),
            ("maps_to", refs(set.mapsTo(ref))),
            ("mapped_from", refs(set.mappedFrom(ref))),
            ("rules", JSON.strings(rules)),
            ("controls", JSON.strings(set.controls(mappingTo: ref))),
            ("controls_via_mappings", .array(controlsViaMappings(ref, excluding: Set(set.controls(mappingTo: ref))).map {
                .object([("control", .string($0.control)), ("through", refs([$0.through]))])
            })),
            ("steps", JSON.strings(set.steps(mappingTo: ref))),
            ("coverage", .string(coverage)),
            ("out_of_scope_reason", JSON.optional(set.outOfScopeReason(ref))),
        ])
    }

    public func ambiguousText(_ query: String, _ refs: [FrameworkRef]) -> String {
        var out = "'\(query)' names an item in \(refs.count) catalogs; qualify it:\n"
        for r in refs { out += "  \(set.qualified(r))  \(set.item(r)?.title ?? "")  (\(r.catalog))\n" }
        return out
    }

    // MARK: - Coverage

    public func coverageText(catalogs keys: [String]? = nil) -> String {
        let ruleCount = set.crosswalk.rules.count
        var out = "What agentpath's \(ruleCount) rules detect, per catalog. An item counts as detected when a rule's crosswalk entry names it.\n"
        out += "Groups (functions, categories, layers, techniques with sub-techniques) count through their items.\n"
        out += "Out of scope: items no architecture model can show, with the reason. Gaps: in scope, but no rule detects them.\n"
        for cov in set.coverage() where keys == nil || keys!.contains(cov.catalog) {
            guard let c = set.catalog(cov.catalog) else { continue }
            let ref = { (id: String) in FrameworkRef(catalog: c.key, id: id) }
            out += "\n\(c.key) (\(c.prefix)) — \(c.title) \(c.edition)\n"
            out += "  \(cov.detected.count) of \(cov.total) detected"
            if c.kindCounts.count > 1 {
                out += " (" + cov.byKind.map { "\($0.kind) \($0.detected)/\($0.total)" }.joined(separator: ", ") + ")"
            }
            out += "; \(plural(cov.groups.count, "group")), \(cov.outOfScope.count) out of scope, \(plural(cov.gaps.count, "gap"))\n"
            let idWidth = min(40, c.items.map { $0.id.count }.max() ?? 0)
            func pad(_ s: String) -> String { s.count >= idWidth ? s : s + String(repeating: " ", count: idWidth - s.count) }
            // MAESTRO keys already end in the threat's name.
            func title(_ id: String) -> String {
                guard let t = set.item(ref(id))?.title, !id.hasSuffix(t) else { return "" }
                return t
            }
            if !cov.detected.isEmpty {
                out += "  detected (\(cov.detected.count)):\n"
                for d in cov.detected { out += "    \(pad(d.id))  \(title(d.id))\(title(d.id).isEmpty ? "" : "  ")← \(d.rules.joined(separator: ", "))\n" }
            }
            if !cov.groups.isEmpty {
                out += "  groups (\(cov.groups.count)):\n"
                for g in cov.groups { out += "    \(pad(g.id))  \(title(g.id))\(title(g.id).isEmpty ? "" : "  ")— \(g.detected) of \(g.total) items detected\n" }
            }
            if !cov.outOfScope.isEmpty {
                out += "  out of scope (\(cov.outOfScope.count)):\n"
                var reasons: [String] = []
                var byReason: [String: [String]] = [:]
                for e in cov.outOfScope {
                    if byReason[e.reason] == nil { reasons.append(e.reason) }
                    byReason[e.reason, default: []].append(e.id)
                }
                for reason in reasons {
                    out += "    \(reason)\n"
                    for id in byReason[reason]! { out += "      \(pad(id))  \(title(id))\n" }
                }
            }
            if !cov.gaps.isEmpty {
                out += "  gaps (\(cov.gaps.count)):\n"
                for g in cov.gaps {
                    var related: [String] = []
                    if !g.controls.isEmpty { related.append("controls: \(g.controls.joined(separator: ", "))") }
                    if !g.steps.isEmpty { related.append("steps: \(g.steps.joined(separator: ", "))") }
                    out += "    \(pad(g.id))  \(title(g.id))\(related.isEmpty ? "" : "  (" + related.joined(separator: "; ") + ")")\n"
                }
            }
        }
        return out
    }

    public func coverageJSON(catalogs keys: [String]? = nil) -> JSON {
        .object([
            ("version", .int(1)),
            ("rules", JSON.strings(set.crosswalk.rules.keys.sorted())),
            ("catalogs", .array(set.coverage().filter { keys == nil || keys!.contains($0.catalog) }.map { cov in
                .object([
                    ("key", .string(cov.catalog)),
                    ("total", .int(cov.total)),
                    ("by_kind", .array(cov.byKind.map { .object([("kind", .string($0.kind)), ("detected", .int($0.detected)), ("total", .int($0.total))]) })),
                    ("detected", .array(cov.detected.map { .object([("id", .string($0.id)), ("rules", JSON.strings($0.rules))]) })),
                    ("groups", .array(cov.groups.map { .object([("id", .string($0.id)), ("detected", .int($0.detected)), ("total", .int($0.total))]) })),
                    ("out_of_scope", .array(cov.outOfScope.map { .object([("id", .string($0.id)), ("reason", .string($0.reason))]) })),
                    ("gaps", .array(cov.gaps.map { .object([("id", .string($0.id)), ("controls", JSON.strings($0.controls)), ("steps", JSON.strings($0.steps))]) })),
                ])
            })),
        ])
    }

    // MARK: - Helpers

    func plural(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// The item's title, or nothing when the id already says it (MAESTRO keys, NIST functions).
    func shortTitle(_ r: FrameworkRef) -> String {
        guard let title = set.item(r)?.title, !r.id.hasSuffix(title) else { return "" }
        return title
    }

    func line(_ r: FrameworkRef, withCatalog: Bool) -> String {
        let title = shortTitle(r)
        return withCatalog ? "\(r.catalog)  \(r.id)  \(title)" : "\(r.id)  \(title)"
    }

    func aligned(_ fields: [(String, String)], indent: String = "") -> String {
        let width = fields.map { $0.0.count }.max() ?? 0
        return fields.map { indent + $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 + "\n" }.joined()
    }

    func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: first.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }.joined()
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
