/// Where an attacker starts (docs/analysis.md, "Entry points"), with the first hops into
/// agents' contexts.
public struct Origin: Sendable {
    public var id: String
    public var kind: ElementKind
    public var text: String
    /// 0…1: how exposed the entry is (1 = anyone on the internet).
    public var exposure: Double
    public var exposureReason: String
    /// Agents the attacker's content reaches first, each with the steps that get it there.
    public var firstHops: [(agent: Agent, steps: [PathStep])]
}

/// A long-lived secret stored where something can read it (docs/analysis.md, rule AP008).
public struct CredentialExposure: Sendable {
    public var credential: Credential
    public var step: PathStep
    public var exposure: Double
    public var reason: String
}

extension AnalysisContext {
    /// Agents that hold a credential: directly, through a tool that uses it, or passed down.
    public func holders(ofCredential id: String) -> [Agent] {
        (credentialHolders[id] ?? []).map { agents[$0] }
    }

    public static func isLongLived(_ c: Credential) -> Bool {
        if c.issued == .static { return true }
        switch c.ttl {
        case .never: return true
        case .seconds(let s): return s > 86_400
        }
    }

    /// Every way a long-lived, replayable secret can be read where it is stored.
    public func exposures(of c: Credential, evaluator: ControlEvaluator) -> [CredentialExposure] {
        guard Self.isLongLived(c), c.binding == .bearer else { return [] }
        let at = c.info.location(of: "storage")
        func stepAt(_ via: String?, _ text: String, targets: [String], agent: Agent? = nil, tool: Tool? = nil, server: String? = nil) -> PathStep {
            evaluator.step(c.id, .credential, .credentialExposure, via: via, text, at: at, targets: [c.id] + targets, agent: agent, tool: tool, effect: nil, serverOnly: nil)
        }
        switch c.storage {
        case .vault?, .broker?:
            return []
        case .inline?:
            return [CredentialExposure(credential: c, step: stepAt(nil, "secret '\(c.id)' is pasted inline (a message, ticket or record) where anyone who reads it can copy it", targets: []), exposure: 0.9, reason: "stored inline in content others read")]
        case .hardcoded?:
            return [CredentialExposure(credential: c, step: stepAt(nil, "secret '\(c.id)' is hard-coded in source or configuration", targets: []), exposure: 0.8, reason: "hard-coded in source or configuration")]
        case nil:
            return [CredentialExposure(credential: c, step: stepAt(nil, "secret '\(c.id)' has no stated storage, so it is assumed exposed", targets: []), exposure: 0.6, reason: "storage not stated (assumed exposed)")]
        case .env?, .file?:
            let place = c.storage == .env ? "the environment" : "a file"
            var out: [CredentialExposure] = []
            var seenServers = Set<String>()
            for a in holders(ofCredential: c.id) {
                for t in tools(of: a) {
                    if t.has(.execute) {
                        out.append(CredentialExposure(credential: c, step: stepAt(t.id, "agent '\(a.id)' can run code through '\(t.id)', which reads '\(c.id)' from \(place)", targets: [a.id, t.id], agent: a, tool: t), exposure: 0.7, reason: "readable by a code-execution tool on the same host"))
                    }
                    if let sid = t.server?.id, let s = server(sid), s.runs == .local, seenServers.insert(sid).inserted {
                        let publisherRisk = s.publisher == .firstParty ? 0.4 : (s.pinned ? 0.5 : 0.8)
                        out.append(CredentialExposure(credential: c, step: stepAt(sid, "local MCP server '\(sid)' runs with the host user's rights and can read '\(c.id)' from \(place)", targets: [sid]), exposure: publisherRisk, reason: "readable by a local MCP server process (\(s.publisher.rawValue) publisher\(s.pinned ? ", pinned" : ", unpinned"))"))
                    }
                }
            }
            for s in ctx_serversHolding(c.id) where seenServers.insert(s.id).inserted {
                out.append(CredentialExposure(credential: c, step: stepAt(s.id, "MCP server '\(s.id)' holds '\(c.id)' in \(place)", targets: [s.id]), exposure: s.publisher == .firstParty ? 0.4 : 0.7, reason: "held by an MCP server process"))
            }
            return out
        }
    }

    func ctx_serversHolding(_ credential: String) -> [MCPServer] {
        serversHolding[credential] ?? []
    }

    /// Tools a stolen credential lets its holder operate directly.
    /// A tool is operated by a credential it names, that grants the tool itself, or (when it
    /// names none) that grants data it reads or writes. In model order.
    public func toolsOperated(by c: Credential) -> [Tool] {
        var positions = Set(toolsNamingCredential[c.id] ?? [])
        for g in c.grants {
            if let t = toolPosition[g.id] { positions.insert(t) }
            positions.formUnion(unboundToolsTouching[g.id] ?? [])
        }
        let tools = model.model.tools
        return positions.sorted().map { tools[$0] }
    }

    /// All entry points of the model, in a stable order.
    public func origins(evaluator: ControlEvaluator) -> [Origin] {
        var out: [Origin] = []
        let m = model.model
        // 1. Untrusted data that agents read.
        for d in m.data where isUntrusted(d) {
            var hops: [(Agent, [PathStep])] = []
            for (a, i) in readers(of: d.id) {
                do {
                    let how = i.tool.map { "through '\($0.id)'" } ?? (i.viaMemory ? "from memory" : "directly")
                    let s = evaluator.step(a.id, .agent, .ingestUntrusted, via: i.tool?.id ?? d.id,
                                           "agent '\(a.id)' reads untrusted '\(d.id)' \(how)", at: i.location,
                                           targets: [a.id, d.id] + (i.tool.map { [$0.id] } ?? []), agent: a, tool: i.tool)
                    hops.append((a, [s]))
                }
            }
            guard !hops.isEmpty else { continue }
            let publicWrite = d.audience == .public || zoneTrust(d.zone) == .untrusted
            out.append(Origin(id: d.id, kind: .data, text: "untrusted content in '\(d.id)'", exposure: publicWrite ? 1.0 : 0.8,
                              exposureReason: publicWrite ? "anyone outside can write into '\(d.id)'" : "partners or outsiders can write into '\(d.id)'",
                              firstHops: hops))
        }
        // 2. External people who can talk to agents.
        for h in m.humans where h.role == .external || zoneTrust(h.zone) == .untrusted {
            let hops: [(Agent, [PathStep])] = h.uses.compactMap { r in
                guard let a = agent(r.id) else { return nil }
                return (a, [evaluator.step(a.id, .agent, .directPrompt, via: h.id, "external '\(h.id)' instructs agent '\(a.id)'", at: r.location, targets: [a.id, h.id], agent: a)])
            }
            guard !hops.isEmpty else { continue }
            out.append(Origin(id: h.id, kind: .human, text: "external person '\(h.id)'", exposure: 1.0, exposureReason: "an outsider talks to the agent directly", firstHops: hops))
        }
        // 3. Unpinned MCP servers not published by the organisation itself.
        for s in m.mcpServers where !s.pinned && s.publisher != .firstParty {
            var hops: [(Agent, [PathStep])] = []
            for (position, t) in serverUsers[s.id] ?? [] {
                let a = agents[position]
                hops.append((a, [evaluator.step(a.id, .agent, .toolDescription, via: s.id, "tool descriptions of unpinned MCP server '\(s.id)' enter agent '\(a.id)''s context", at: s.info.location(of: "pinned"), targets: [a.id, s.id, t.id], agent: a)]))
            }
            guard !hops.isEmpty else { continue }
            let exposure = s.publisher == .vendor ? 0.6 : 0.9
            out.append(Origin(id: s.id, kind: .mcpServer, text: "unpinned MCP server '\(s.id)'", exposure: exposure,
                              exposureReason: "\(s.publisher.rawValue) publisher, not pinned: its tool descriptions can change under you", firstHops: hops))
        }
        // 4. Launchers from outside that set an agent's prompt or switch approvals off.
        for l in m.launchers where l.publisher != .firstParty && !l.sets.isEmpty {
            let hops: [(Agent, [PathStep])] = l.launches.compactMap { r in
                guard let a = agent(r.id) else { return nil }
                let what = listing(l.sets.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }, conjunction: "and")
                return (a, [evaluator.step(a.id, .agent, .launcherSetting, via: l.id, "launcher '\(l.id)' starts agent '\(a.id)' and sets its \(what)", at: r.location, targets: [a.id, l.id], agent: a)])
            }
            guard !hops.isEmpty else { continue }
            out.append(Origin(id: l.id, kind: .launcher, text: "launcher '\(l.id)'", exposure: l.pinned ? 0.5 : 0.8,
                              exposureReason: "\(l.publisher.rawValue) launcher\(l.pinned ? "" : ", not pinned") decides the agent's \(l.sets.map(\.rawValue).joined(separator: ", "))", firstHops: hops))
        }
        // 5. Stolen long-lived credentials that write into data agents read.
        for c in m.credentials {
            let exposures = self.exposures(of: c, evaluator: evaluator)
            guard let best = exposures.max(by: { $0.exposure < $1.exposure }) else { continue }
            var hops: [(Agent, [PathStep])] = []
            for t in toolsOperated(by: c) where t.has(.write) {
                for w in t.writes {
                    guard let d = data(w.id), !isUntrusted(d) else { continue }
                    let use = evaluator.step(c.id, .credential, .credentialUse, via: t.id, "with stolen '\(c.id)' the attacker writes into '\(d.id)' through '\(t.id)'", at: w.location, targets: [c.id, t.id, d.id], tool: t, effect: .write)
                    for (a, i) in readers(of: d.id) {
                        do {
                            let s = evaluator.step(a.id, .agent, .ingestUntrusted, via: i.tool?.id ?? d.id, "agent '\(a.id)' reads '\(d.id)', now attacker-written", at: i.location, targets: [a.id, d.id] + (i.tool.map { [$0.id] } ?? []), agent: a, tool: i.tool)
                            hops.append((a, [best.step, use, s]))
                        }
                    }
                }
            }
            guard !hops.isEmpty else { continue }
            out.append(Origin(id: c.id, kind: .credential, text: "stolen credential '\(c.id)'", exposure: (best.exposure * 0.9 * 100).rounded() / 100, exposureReason: best.reason, firstHops: hops))
        }
        return out
    }
}
