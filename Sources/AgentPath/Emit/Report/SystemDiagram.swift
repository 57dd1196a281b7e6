/// The system diagram: elements laid out in bands by trust zone (untrusted at the top) and
/// columns by kind, with edges for use, tools, servers, data, credentials and delegation.
/// Pure: the same model gives the same layout, SVG, DOT and Mermaid bytes.
public struct SystemDiagram: Sendable {
    public enum EdgeKind: String, Sendable, CaseIterable {
        case uses, launches, tool, server, reads, writes, memory, credential, delegates
    }

    public struct Node: Sendable {
        public var id: String
        public var kind: ElementKind
        public var label: String
        public var detail: String
        public var zone: String?
        public var column: Int
        public var x = 0, y = 0
        /// How many elements the node stands for (1, except in a summarised diagram).
        public var count = 1
    }

    public struct Edge: Sendable, Hashable {
        public var from: Int
        public var to: Int
        public var kind: EdgeKind
    }

    public struct Band: Sendable {
        public var zone: String?
        public var label: String
        public var trust: String
        public var y: Int
        public var height: Int
    }

    public private(set) var nodes: [Node] = []
    public private(set) var edges: [Edge] = []
    public private(set) var bands: [Band] = []
    public private(set) var width = 0
    public private(set) var height = 0
    /// True for a summarised diagram (`summarized()`): a node per kind and zone.
    public private(set) var summary = false
    /// In a summarised diagram: the number of links each edge stands for.
    public private(set) var edgeCounts: [Int] = []
    /// The model's element and link counts (the same as `nodes` and `edges` unless summarised).
    public private(set) var elementCount = 0
    public private(set) var linkCount = 0
    var indexByID: [String: Int] = [:]
    var zoneOrder: [(String?, String, String)] = []
    var outEdges: [[Int]] = []

    static let columns: [(kinds: [ElementKind], title: String)] = [
        ([.human, .launcher], "People & launchers"), ([.agent], "Agents"), ([.tool], "Tools"),
        ([.mcpServer], "MCP servers"), ([.data], "Data"), ([.credential], "Credentials"),
    ]
    static let nodeWidth = 176, nodeHeight = 40, columnPitch = 200, rowPitch = 52
    static let bandPad = 34, left = 24, top = 40

    public func index(of id: String) -> Int? { indexByID[id] }

    public init(_ vm: ValidatedModel) {
        let m = vm.model
        func column(_ k: ElementKind) -> Int { Self.columns.firstIndex { $0.kinds.contains(k) } ?? 0 }
        func add(_ info: ElementInfo, _ kind: ElementKind, _ detail: String, _ zone: String?) {
            guard indexByID[info.id] == nil else { return }
            indexByID[info.id] = nodes.count
            nodes.append(Node(id: info.id, kind: kind, label: info.displayName, detail: detail, zone: zone, column: column(kind)))
        }
        // Zones for elements that have none of their own: a tool sits with its server (else its
        // first agent), a credential with its first holder.
        var toolZone: [String: String] = [:]
        for a in m.agents { for t in a.tools where toolZone[t.id] == nil { toolZone[t.id] = a.zone?.id } }
        for t in m.tools { if let s = t.server, let z = vm.server(s.id)?.zone?.id { toolZone[t.id] = z } }
        var credZone: [String: String] = [:]
        for a in m.agents { for c in a.credentials where credZone[c.id] == nil { credZone[c.id] = a.zone?.id } }
        for t in m.tools { if let c = t.credential, credZone[c.id] == nil { credZone[c.id] = toolZone[t.id] } }
        for s in m.mcpServers { if let c = s.credential, credZone[c.id] == nil { credZone[c.id] = s.zone?.id } }

        for h in m.humans { add(h.info, .human, h.role.rawValue, h.zone?.id) }
        for l in m.launchers { add(l.info, .launcher, l.kind.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") } ?? "", l.zone?.id) }
        for a in m.agents { add(a.info, .agent, a.autonomy.rawValue + (a.model.map { " · \($0)" } ?? ""), a.zone?.id) }
        for t in m.tools { add(t.info, .tool, t.effects.map(\.rawValue).joined(separator: ", "), toolZone[t.id]) }
        for s in m.mcpServers { add(s.info, .mcpServer, s.pinned ? "pinned" : "unpinned", s.zone?.id) }
        for d in m.data { add(d.info, .data, d.sensitivity.rawValue + (d.kind.map { " · \($0.rawValue)" } ?? ""), d.zone?.id) }
        for c in m.credentials { add(c.info, .credential, "ttl \(c.ttl)" + (c.storage.map { " · \($0.rawValue)" } ?? ""), credZone[c.id]) }

        var seen = Set<Edge>()
        func link(_ a: String, _ b: String, _ kind: EdgeKind) {
            guard let i = indexByID[a], let j = indexByID[b], i != j else { return }
            let e = Edge(from: i, to: j, kind: kind)
            if seen.insert(e).inserted { edges.append(e) }
        }
        for h in m.humans { for u in h.uses { link(h.id, u.id, .uses) } }
        for l in m.launchers { for a in l.launches { link(l.id, a.id, .launches) } }
        for a in m.agents {
            for t in a.tools { link(a.id, t.id, .tool) }
            for r in a.reads { link(a.id, r.id, .reads) }
            for mu in a.memory { link(a.id, mu.data.id, .memory) }
            for c in a.credentials { link(a.id, c.id, .credential) }
            for d in a.delegates { link(a.id, d.to.id, .delegates) }
        }
        for t in m.tools {
            if let s = t.server { link(t.id, s.id, .server) }
            for r in t.reads { link(t.id, r.id, .reads) }
            for w in t.writes { link(t.id, w.id, .writes) }
            if let c = t.credential { link(t.id, c.id, .credential) }
        }
        for s in m.mcpServers { if let c = s.credential { link(s.id, c.id, .credential) } }
        elementCount = nodes.count
        linkCount = edges.count

        // Bands: untrusted, partner, trusted zones in model order, then elements with no zone.
        let order: [ZoneTrust] = [.untrusted, .partner, .trusted]
        for t in order { for z in m.zones where z.trust == t { zoneOrder.append((z.id, z.info.displayName, t.rawValue)) } }
        let known = Set(zoneOrder.compactMap(\.0))
        if nodes.contains(where: { n in n.zone.map { !known.contains($0) } ?? true }) { zoneOrder.append((nil, "No zone stated", "unknown")) }
        layout()
    }

    /// Places the nodes in their bands and columns, in node order; sets the bands and the size.
    /// One pass over the nodes: linear in the number of elements.
    mutating func layout() {
        let known = Set(zoneOrder.compactMap(\.0))
        var bandOf: [String: Int] = [:]
        for (b, z) in zoneOrder.enumerated() { if let id = z.0 { bandOf[id] = b } }
        let noZone = zoneOrder.lastIndex { $0.0 == nil }
        var members = [[Int]](repeating: [], count: zoneOrder.count)
        for i in nodes.indices {
            let z = nodes[i].zone
            if let z, known.contains(z), let b = bandOf[z] { members[b].append(i) } else if let noZone { members[noZone].append(i) }
        }
        bands = []
        var y = Self.top
        for (b, (zid, label, trust)) in zoneOrder.enumerated() {
            var rows = [Int](repeating: 0, count: Self.columns.count)
            for i in members[b] {
                nodes[i].x = Self.left + 12 + nodes[i].column * Self.columnPitch
                nodes[i].y = y + Self.bandPad + rows[nodes[i].column] * Self.rowPitch
                rows[nodes[i].column] += 1
            }
            let count = rows.max() ?? 0
            if count == 0 { continue }
            let h = Self.bandPad + count * Self.rowPitch + 4
            bands.append(Band(zone: zid, label: label, trust: trust, y: y, height: h))
            y += h + 14
        }
        width = Self.left * 2 + 24 + (Self.columns.count - 1) * Self.columnPitch + Self.nodeWidth
        height = y + 6
        outEdges = [[Int]](repeating: [], count: nodes.count)
        for (k, e) in edges.enumerated() { outEdges[e.from].append(k) }
    }

    /// The diagram summarised for a large model: one node per element kind and zone (its
    /// count in the label), one edge per kind of link between two such nodes (its count in
    /// the edge's tooltip, its width by the count). Every element id maps to its group, so a
    /// path's highlight lights the groups its steps pass through.
    public func summarized() -> SystemDiagram {
        var s = self
        s.nodes = []
        s.edges = []
        s.edgeCounts = []
        s.summary = true
        // Groups ordered by kind (in column order), then by band: stable, and linear to build.
        let kindOrder: [ElementKind] = Self.columns.flatMap(\.kinds)
        var bandOf: [String: Int] = [:]
        for (b, z) in zoneOrder.enumerated() { if let id = z.0 { bandOf[id] = b } }
        let noZone = zoneOrder.lastIndex { $0.0 == nil } ?? zoneOrder.count
        struct Key: Hashable { var kind: Int, band: Int }
        var keys = [Key](repeating: Key(kind: 0, band: 0), count: nodes.count)
        var counts: [Key: Int] = [:]
        var first: [Key: Int] = [:]
        for (i, n) in nodes.enumerated() {
            let k = Key(kind: kindOrder.firstIndex(of: n.kind) ?? kindOrder.count, band: n.zone.flatMap { bandOf[$0] } ?? noZone)
            keys[i] = k
            counts[k, default: 0] += 1
            if first[k] == nil { first[k] = i }
        }
        let order = counts.keys.sorted { ($0.kind, $0.band) < ($1.kind, $1.band) }
        var groupOf: [Key: Int] = [:]
        for k in order {
            let n = nodes[first[k]!]
            let zone = k.band < zoneOrder.count ? zoneOrder[k.band] : (nil, "No zone stated", "unknown")
            groupOf[k] = s.nodes.count
            s.nodes.append(Node(id: (zone.0 ?? "") + "/" + n.kind.rawValue, kind: n.kind, label: "", detail: zone.1, zone: zone.0,
                                column: n.column, count: counts[k]!))
        }
        let nodeGroup = keys.map { groupOf[$0]! }
        for g in s.nodes.indices {
            let n = s.nodes[g]
            s.nodes[g].label = "\(Self.grouped(n.count)) \(Self.plural(n.kind, n.count))"
        }
        s.indexByID = [:]
        for (id, i) in indexByID { s.indexByID[id] = nodeGroup[i] }
        var edgeIndex: [Edge: Int] = [:]
        for e in edges {
            let a = nodeGroup[e.from], b = nodeGroup[e.to]
            guard a != b else { continue }
            let ge = Edge(from: a, to: b, kind: e.kind)
            if let k = edgeIndex[ge] { s.edgeCounts[k] += 1 } else {
                edgeIndex[ge] = s.edges.count
                s.edges.append(ge)
                s.edgeCounts.append(1)
            }
        }
        s.elementCount = nodes.count
        s.linkCount = edges.count
        s.layout()
        return s
    }

    /// 12345 → "12,345".
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    static func plural(_ k: ElementKind, _ n: Int) -> String {
        let word: String
        switch k {
        case .mcpServer: word = "MCP server"
        case .human: word = "person"
        default: word = k.rawValue
        }
        if n == 1 || k == .data { return word }
        return k == .human ? "people" : word + "s"
    }

    // MARK: - SVG

    static func kindLabel(_ k: ElementKind) -> String {
        switch k {
        case .mcpServer: "MCP server"
        default: k.rawValue
        }
    }

    func edgePath(_ e: Edge) -> String {
        let a = nodes[e.from], b = nodes[e.to]
        let w = Self.nodeWidth, h2 = Self.nodeHeight / 2
        if a.column == b.column {
            // Same column (delegation, launcher → agent): a loop out to the right.
            let x = a.x + w, y1 = a.y + h2, y2 = b.y + h2
            let bulge = 36 + min(60, abs(y2 - y1) / 6)
            return "M\(x) \(y1) C\(x + bulge) \(y1) \(x + bulge) \(y2) \(x + 4) \(y2)"
        }
        let forward = b.column > a.column
        let x1 = forward ? a.x + w : a.x, x2 = forward ? b.x : b.x + w
        let y1 = a.y + h2, y2 = b.y + h2
        let dx = max(40, abs(x2 - x1) / 2)
        let c1 = forward ? x1 + dx : x1 - dx, c2 = forward ? x2 - dx : x2 + dx
        return "M\(x1) \(y1) C\(c1) \(y1) \(c2) \(y2) \(x2) \(y2)"
    }

    /// The diagram as inline SVG. Every model string is escaped; nodes carry their index only.
    public func svg() -> String {
        let esc = ReportEscape.html
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"diagram\" class=\"diagram\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-labelledby=\"diagram-title\">\n"
        if summary {
            out += "<title id=\"diagram-title\">System diagram, summarised: \(elementCount) elements in \(nodes.count) groups by kind and zone, \(linkCount) connections in \(edges.count) bundles, in bands by trust zone</title>\n"
        } else {
            out += "<title id=\"diagram-title\">System diagram: \(nodes.count) elements, \(edges.count) connections, in bands by trust zone</title>\n"
        }
        out += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" class=\"arrowhead\"/></marker></defs>\n"
        for (i, c) in Self.columns.enumerated() {
            out += "<text class=\"col-title\" x=\"\(Self.left + 12 + i * Self.columnPitch)\" y=\"24\">\(esc(c.title))</text>\n"
        }
        for b in bands {
            out += "<g class=\"band band-\(b.trust)\"><rect x=\"\(Self.left)\" y=\"\(b.y)\" width=\"\(width - Self.left * 2)\" height=\"\(b.height)\" rx=\"10\"/>"
            out += "<text x=\"\(Self.left + 12)\" y=\"\(b.y + 21)\">\(esc(ReportEscape.truncate(b.label, 60))) <tspan class=\"band-trust\">· \(b.trust)</tspan></text></g>\n"
        }
        out += "<g class=\"edges\">\n"
        for (i, e) in edges.enumerated() {
            if summary {
                // Width by the number of links it stands for; the count as a tooltip.
                let n = edgeCounts[i], w = n >= 1000 ? 4 : n >= 100 ? 3 : n >= 10 ? 2 : 1
                out += "<path id=\"e\(i)\" class=\"edge e-\(e.kind.rawValue) ew\(w)\" d=\"\(edgePath(e))\" marker-end=\"url(#arrow)\"><title>\(Self.grouped(n)) \(e.kind.rawValue) link\(n == 1 ? "" : "s")</title></path>\n"
            } else {
                out += "<path id=\"e\(i)\" class=\"edge e-\(e.kind.rawValue)\" d=\"\(edgePath(e))\" marker-end=\"url(#arrow)\"/>\n"
            }
        }
        out += "</g>\n<g class=\"nodes\">\n"
        for (i, n) in nodes.enumerated() {
            let kind = n.kind.rawValue
            out += "<g id=\"n\(i)\" class=\"node k-\(kind)\" transform=\"translate(\(n.x) \(n.y))\">"
            if summary {
                out += "<title>\(esc(n.label)) in \(esc(n.detail))</title>"
            } else {
                out += "<title>\(esc(Self.kindLabel(n.kind))) \(esc(n.id))\(n.label != n.id ? " — " + esc(n.label) : "")\(n.detail.isEmpty ? "" : " (" + esc(n.detail) + ")")</title>"
            }
            out += "<rect width=\"\(Self.nodeWidth)\" height=\"\(Self.nodeHeight)\" rx=\"\(n.kind == .data ? 4 : n.kind == .agent ? 12 : 7)\"/>"
            out += "<rect class=\"kind-bar\" width=\"5\" height=\"\(Self.nodeHeight)\" rx=\"2\"/>"
            out += "<text class=\"label\" x=\"12\" y=\"17\">\(esc(ReportEscape.truncate(n.label, 21)))</text>"
            out += "<text class=\"detail\" x=\"12\" y=\"32\">\(esc(ReportEscape.truncate(Self.kindLabel(n.kind) + (n.detail.isEmpty ? "" : " · " + n.detail), 30)))</text>"
            out += "</g>\n"
        }
        out += "</g>\n</svg>"
        return out
    }

    /// Node and edge indices a path touches: its steps' elements and what they go through,
    /// and the edges between any two of them.
    public func highlight(_ steps: [PathStep]) -> (nodes: [Int], edges: [Int]) {
        var set = Set<Int>()
        var ordered: [Int] = []
        for s in steps {
            // The step's element and what it goes through, then the ids its text quotes
            // ('public-issues', 'private-repos'): the data a hop reads or writes.
            for id in [s.element, s.via].compactMap({ $0 }) + Self.quoted(s.text) {
                if let i = indexByID[id], set.insert(i).inserted { ordered.append(i) }
            }
        }
        // The edges out of each lit node that end at a lit node, in edge order.
        var es: [Int] = []
        for i in ordered where i < outEdges.count { for k in outEdges[i] where set.contains(edges[k].to) { es.append(k) } }
        es.sort()
        return (ordered, es)
    }

    /// The words a step's text puts in single quotes.
    static func quoted(_ text: String) -> [String] {
        var out: [String] = []
        let bytes = text.utf8
        var start: String.UTF8View.Index? = nil
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let c = bytes[i]
            if c == UInt8(ascii: "'") {
                if let s = start { out.append(String(text[s..<i])); start = nil } else { start = bytes.index(after: i) }
            } else if c == UInt8(ascii: " ") {
                start = nil
            }
            i = bytes.index(after: i)
        }
        return out
    }

    // MARK: - DOT and Mermaid

    func slug(_ i: Int) -> String { "n\(i)" }

    public func dot() -> String {
        let esc = ReportEscape.dot
        var out = "digraph agentpath {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fillcolor=\"#ffffff\"];\n"
        let shapes: [ElementKind: String] = [.human: "ellipse", .agent: "box", .tool: "component", .mcpServer: "box3d", .data: "cylinder", .credential: "note", .launcher: "cds"]
        for (bi, b) in bands.enumerated() {
            out += "  subgraph cluster_\(bi) {\n    label=\"\(esc(b.label)) (\(b.trust))\";\n    style=\"rounded\";\n"
            for (i, n) in nodes.enumerated() where n.y >= b.y && n.y < b.y + b.height {
                out += "    \(slug(i)) [label=\"\(esc(n.label))\\n\(esc(Self.kindLabel(n.kind)))\", shape=\(shapes[n.kind] ?? "box")];\n"
            }
            out += "  }\n"
        }
        for e in edges {
            let style: String
            switch e.kind {
            case .credential: style = " [style=dashed, label=\"credential\"]"
            case .delegates: style = " [penwidth=2, label=\"delegates\"]"
            case .reads, .writes, .memory, .uses, .launches: style = " [label=\"\(e.kind.rawValue)\"]"
            default: style = ""
            }
            out += "  \(slug(e.from)) -> \(slug(e.to))\(style);\n"
        }
        out += "}\n"
        return out
    }

    public func mermaid() -> String {
        let esc = ReportEscape.mermaid
        var out = "flowchart LR\n"
        for (bi, b) in bands.enumerated() {
            out += "  subgraph z\(bi)[\"\(esc(b.label)) (\(b.trust))\"]\n"
            for (i, n) in nodes.enumerated() where n.y >= b.y && n.y < b.y + b.height {
                let label = "\"\(esc(n.label))<br/><small>\(esc(Self.kindLabel(n.kind)))</small>\""
                let shape: String
                switch n.kind {
                case .human: shape = "([\(label)])"
                case .data: shape = "[(\(label))]"
                case .credential: shape = "{{\(label)}}"
                case .mcpServer: shape = "[[\(label)]]"
                default: shape = "[\(label)]"
                }
                out += "    \(slug(i))\(shape)\n"
            }
            out += "  end\n"
        }
        for e in edges {
            switch e.kind {
            case .credential: out += "  \(slug(e.from)) -.-> \(slug(e.to))\n"
            case .delegates: out += "  \(slug(e.from)) == delegates ==> \(slug(e.to))\n"
            case .reads, .writes, .memory: out += "  \(slug(e.from)) -- \(e.kind.rawValue) --> \(slug(e.to))\n"
            default: out += "  \(slug(e.from)) --> \(slug(e.to))\n"
            }
        }
        return out
    }
}
