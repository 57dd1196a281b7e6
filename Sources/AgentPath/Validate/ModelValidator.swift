/// Checks what the decoder cannot see in one element: unique ids, references between
/// elements, and meaning across elements. Resolves defaults that depend on other elements.
public struct ModelValidator {
    let diagnostics: DiagnosticCollector

    public init(diagnostics: DiagnosticCollector) { self.diagnostics = diagnostics }

    /// Returns the validated model, or nil when any error was found (in this stage or before).
    public func validate(_ model: Model) -> ValidatedModel? {
        var model = model
        let index = buildIndex(model)
        checkReferences(model, index)
        resolveDefaults(&model, index)
        checkMeaning(model, index)
        warnIncomplete(model, index)
        guard !diagnostics.hasErrors else { return nil }
        return ValidatedModel(model: model, index: index)
    }

    func buildIndex(_ model: Model) -> ModelIndex {
        var index = ModelIndex()
        func add<E: Element>(_ list: [E]) {
            for (i, e) in list.enumerated() {
                if let earlier = index.insert(e.id, kind: E.kind, position: i) {
                    let first = firstLocation(model, earlier)
                    diagnostics.error(.duplicateID, "duplicate id '\(e.id)': already used by the \(earlier.kind.noun) at \(diagnostics.files.describe(first))", at: e.info.location(of: "id"))
                }
            }
        }
        add(model.zones); add(model.humans); add(model.agents); add(model.tools); add(model.mcpServers)
        add(model.credentials); add(model.data); add(model.launchers); add(model.controls)
        return index
    }

    func firstLocation(_ model: Model, _ e: ModelIndex.Entry) -> SourceLocation {
        let info: ElementInfo
        switch e.kind {
        case .zone: info = model.zones[e.position].info
        case .human: info = model.humans[e.position].info
        case .agent: info = model.agents[e.position].info
        case .tool: info = model.tools[e.position].info
        case .mcpServer: info = model.mcpServers[e.position].info
        case .credential: info = model.credentials[e.position].info
        case .data: info = model.data[e.position].info
        case .launcher: info = model.launchers[e.position].info
        case .control: info = model.controls[e.position].info
        }
        return info.location(of: "id")
    }

    // MARK: references

    func check(_ ref: Ref?, _ allowed: [ElementKind], in subject: String, key: String, _ index: ModelIndex) {
        guard let ref else { return }
        if let found = index.kind(of: ref.id) {
            if !allowed.contains(found) {
                let expected = listing(allowed.map(\.noun))
                diagnostics.error(.wrongKindReference, "'\(key)' of \(subject) names '\(ref.id)', which is a \(found.noun); expected a \(expected)", at: ref.location)
            }
            return
        }
        let code: DiagnosticCode
        switch allowed.count == 1 ? allowed[0] : nil {
        case .zone?: code = .unknownZone
        case .agent?: code = .unknownAgent
        case .tool?: code = .unknownTool
        case .mcpServer?: code = .unknownServer
        case .credential?: code = .unknownCredential
        case .data?: code = .unknownData
        default: code = .unknownReference
        }
        let noun = listing(allowed.map(\.noun))
        // The did-you-mean scans every id of the allowed kinds: skip it for a diagnostic the
        // collector will drop anyway, or thousands of broken references take minutes.
        let hint = diagnostics.diagnostics.count < diagnostics.limit ? Suggest.hint(ref.id, in: index.ids(of: allowed)) : ""
        diagnostics.error(code, "unknown \(noun) '\(ref.id)' in '\(key)' of \(subject)\(hint)", at: ref.location)
    }

    func checkAll(_ refs: [Ref], _ allowed: [ElementKind], in subject: String, key: String, _ index: ModelIndex) {
        for r in refs { check(r, allowed, in: subject, key: key, index) }
    }

    func checkReferences(_ model: Model, _ index: ModelIndex) {
        let assets: [ElementKind] = [.data, .tool]
        for h in model.humans {
            let s = "human '\(h.id)'"
            check(h.zone, [.zone], in: s, key: "zone", index)
            checkAll(h.uses, [.agent], in: s, key: "uses", index)
            checkAll(h.access, assets, in: s, key: "access", index)
        }
        for a in model.agents {
            let s = "agent '\(a.id)'"
            check(a.zone, [.zone], in: s, key: "zone", index)
            checkAll(a.tools, [.tool], in: s, key: "tools", index)
            checkAll(a.credentials, [.credential], in: s, key: "credentials", index)
            checkAll(a.memory.map(\.data), [.data], in: s, key: "memory", index)
            checkAll(a.reads, [.data], in: s, key: "reads", index)
            for i in a.intents { checkAll(i.tools, [.tool], in: "intent '\(i.id)' of \(s)", key: "tools", index) }
            for d in a.delegates {
                check(d.to, [.agent], in: s, key: "delegates.to", index)
                checkAll(d.passes, [.credential], in: "the delegation of \(s) to '\(d.to.id)'", key: "passes", index)
            }
        }
        for t in model.tools {
            let s = "tool '\(t.id)'"
            check(t.server, [.mcpServer], in: s, key: "server", index)
            checkAll(t.reads, [.data], in: s, key: "reads", index)
            checkAll(t.writes, [.data], in: s, key: "writes", index)
            check(t.credential, [.credential], in: s, key: "credential", index)
        }
        for m in model.mcpServers {
            let s = "MCP server '\(m.id)'"
            check(m.zone, [.zone], in: s, key: "zone", index)
            check(m.credential, [.credential], in: s, key: "credential", index)
        }
        for c in model.credentials {
            checkAll(c.grants, assets, in: "credential '\(c.id)'", key: "grants", index)
        }
        for d in model.data {
            check(d.zone, [.zone], in: "data element '\(d.id)'", key: "zone", index)
        }
        for l in model.launchers {
            let s = "launcher '\(l.id)'"
            check(l.zone, [.zone], in: s, key: "zone", index)
            checkAll(l.launches, [.agent], in: s, key: "launches", index)
        }
        for c in model.controls {
            checkAll(c.appliesTo, [.agent, .tool, .mcpServer, .credential, .data, .launcher, .human], in: "control '\(c.id)'", key: "applies_to", index)
        }
    }

    // MARK: defaults and meaning

    func resolveDefaults(_ model: inout Model, _ index: ModelIndex) {
        for i in model.data.indices where model.data[i].trust == nil {
            var untrusted = false
            if let z = model.data[i].zone, let e = index[z.id], e.kind == .zone {
                untrusted = model.zones[e.position].trust == .untrusted
            }
            model.data[i].trust = untrusted ? .untrusted : .trusted
        }
    }

    func checkMeaning(_ model: Model, _ index: ModelIndex) {
        for a in model.agents {
            for d in a.delegates where d.to.id == a.id {
                diagnostics.error(.selfDelegation, "agent '\(a.id)' delegates to itself", at: d.to.location)
            }
            let held = Set(a.tools.map(\.id))
            for intent in a.intents {
                for t in intent.tools where !held.contains(t.id) && index.kind(of: t.id) == .tool {
                    diagnostics.error(.intentToolNotHeld, "intent '\(intent.id)' of agent '\(a.id)' names tool '\(t.id)', which the agent does not hold; add it to the agent's tools", at: t.location)
                }
            }
        }
        for t in model.tools {
            if t.has(.egress), t.egress == .none, t.info.keys["egress"] != nil {
                diagnostics.error(.contradictoryEgress, "tool '\(t.id)' has the egress effect but says `egress: none`", at: t.info.location(of: "egress"))
            }
        }
    }

    func warnIncomplete(_ model: Model, _ index: ModelIndex) {
        for t in model.tools {
            if t.effects.isEmpty {
                diagnostics.warning(.toolWithoutEffects, "tool '\(t.id)' declares no effects; the analysis assumes it has none", at: t.info.location(of: "id"))
            }
            if t.egress != .none, !t.has(.egress) {
                diagnostics.warning(.egressWithoutEffect, "tool '\(t.id)' says `egress: \(t.egress.rawValue)` without the egress effect; it is treated as an egress", at: t.info.location(of: "egress"))
            }
        }
        for a in model.agents where a.info.owner == nil {
            diagnostics.warning(.agentWithoutOwner, "agent '\(a.id)' has no owner", at: a.info.location(of: "id"))
        }
        for c in model.credentials where c.grants.isEmpty {
            diagnostics.warning(.credentialWithoutGrants, "credential '\(c.id)' grants nothing the model names; its reach is unknown", at: c.info.location(of: "id"))
        }
        for a in model.agents {
            for m in a.memory {
                if let e = index[m.data.id], e.kind == .data, let kind = model.data[e.position].kind, kind != .memory, kind != .vectorStore {
                    diagnostics.warning(.memoryNotMemoryKind, "agent '\(a.id)' uses data '\(m.data.id)' (kind \(kind.rawValue)) as memory", at: m.data.location)
                }
            }
        }
        for c in model.controls where c.appliesTo.isEmpty {
            diagnostics.warning(.controlWithoutTargets, "control '\(c.id)' applies to nothing, so it cuts nothing; list its targets in applies_to", at: c.info.location(of: "id"))
        }
        var reachable = Set<String>()
        for a in model.agents {
            reachable.formUnion(a.tools.map(\.id))
            reachable.formUnion(a.credentials.map(\.id))
            for d in a.delegates { reachable.formUnion(d.passes.map(\.id)) }
        }
        for t in model.tools where reachable.contains(t.id) {
            if let c = t.credential { reachable.insert(c.id) }
            if let s = t.server { reachable.insert(s.id) }
        }
        for s in model.mcpServers where reachable.contains(s.id) {
            if let c = s.credential { reachable.insert(c.id) }
        }
        var warned = Set<String>()
        func unused<E: Element>(_ list: [E]) {
            // A duplicated id is reported once (as E0109); warn about it once too.
            for e in list where !reachable.contains(e.id) && warned.insert(e.id).inserted {
                diagnostics.warning(.unusedElement, "\(E.kind.noun) '\(e.id)' is not reachable by any agent", at: e.info.location(of: "id"))
            }
        }
        unused(model.tools); unused(model.mcpServers); unused(model.credentials)
    }
}
