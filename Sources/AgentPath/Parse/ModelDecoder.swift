/// What one file contributes to a model.
struct ModelPart {
    var version: (Int, SourceLocation)?
    var hasVersionKey = false
    var system: SystemInfo?
    var includes: [Ref] = []
    var zones: [Zone] = []
    var humans: [Human] = []
    var agents: [Agent] = []
    var tools: [Tool] = []
    var mcpServers: [MCPServer] = []
    var credentials: [Credential] = []
    var data: [DataStore] = []
    var launchers: [Launcher] = []
    var controls: [Control] = []
}

/// Decodes the node tree of one file into model elements. Only shape is checked here
/// (types, keys, enums, durations, id syntax); references are the validator's job.
struct ModelDecoder {
    let diagnostics: DiagnosticCollector

    func decodeFile(_ root: YAMLNode) -> ModelPart {
        var part = ModelPart()
        guard let top = MapReader(root, spec: LanguageSpec.file, subject: "the model file", diagnostics: diagnostics) else { return part }
        part.hasVersionKey = top.has("version")
        if let v = top.value("version") {
            if case .int(let n)? = v.scalar?.resolved, n == LanguageSpec.version {
                part.version = (n, v.location)
            } else {
                let text = v.scalar?.text ?? v.kindDescription
                diagnostics.error(.badVersion, "unknown model version '\(text)'; this agentpath reads version \(LanguageSpec.version)", at: v.location)
            }
        }
        if let s = top.value("system") { part.system = decodeSystem(s) }
        part.includes = top.list("include").compactMap { top.reference($0, key: "include") }
        part.zones = elements(top, .zone, decodeZone)
        part.humans = elements(top, .human, decodeHuman)
        part.agents = elements(top, .agent, decodeAgent)
        part.tools = elements(top, .tool, decodeTool)
        part.mcpServers = elements(top, .mcpServer, decodeServer)
        part.credentials = elements(top, .credential, decodeCredential)
        part.data = elements(top, .data, decodeData)
        part.launchers = elements(top, .launcher, decodeLauncher)
        part.controls = elements(top, .control, decodeControl)
        return part
    }

    /// Decodes each entry of a top-level list; entries without a usable id are dropped
    /// after their errors are reported.
    func elements<E>(_ top: MapReader, _ kind: ElementKind, _ decode: (MapReader, ElementInfo) -> E?) -> [E] {
        let spec = LanguageSpec.spec(for: kind)
        var out: [E] = []
        let nodes = top.objects(kind.section)
        out.reserveCapacity(nodes.count)
        for (index, node) in nodes.enumerated() {
            let idText = node.mapping?.first { $0.key.scalar?.text == "id" }?.value.scalar?.text
            let subject = idText.map { "\(kind.noun) '\($0)'" } ?? "\(kind.section)[\(index)]"
            guard let r = MapReader(node, spec: spec, subject: subject, diagnostics: diagnostics),
                  let info = info(r, kind: kind) else { continue }
            if let e = decode(r, info) { out.append(e) }
        }
        return out
    }

    func info(_ r: MapReader, kind: ElementKind) -> ElementInfo? {
        guard let id = r.string("id"), let at = r.location("id") else { return nil }
        guard Self.isValidID(id) else {
            diagnostics.error(.invalidID, "invalid \(kind.noun) id '\(id)'; ids match [a-z0-9][a-z0-9._-]*\(Self.idHint(id))", at: at)
            return nil
        }
        var info = ElementInfo(id: id, location: r.node.location)
        info.name = r.string("name")
        info.description = r.string("description")
        info.owner = r.string("owner")
        info.tags = r.strings("tags")
        info.keys = r.keyLocations
        return info
    }

    static func isValidID(_ id: String) -> Bool {
        let u = Array(id.utf8)
        guard let first = u.first, isLowerAlnum(first) else { return false }
        return u.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    static func isLowerAlnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }

    static func idHint(_ id: String) -> String {
        let lowered = id.lowercased().replacingSpaces()
        return isValidID(lowered) && lowered != id ? "; did you mean '\(lowered)'?" : ""
    }

    func decodeSystem(_ node: YAMLNode) -> SystemInfo? {
        guard let r = MapReader(node, spec: LanguageSpec.system, subject: "system", diagnostics: diagnostics) else { return nil }
        let name = r.string("name") ?? "unnamed system"
        var id = r.string("id") ?? Self.slug(name)
        if let given = r.string("id"), !Self.isValidID(given), let at = r.location("id") {
            diagnostics.error(.invalidID, "invalid system id '\(given)'; ids match [a-z0-9][a-z0-9._-]*\(Self.idHint(given))", at: at)
            id = Self.slug(given)
        }
        return SystemInfo(id: id, name: name, description: r.string("description"), owner: r.string("owner"),
                          environment: r.string("environment"), location: node.location)
    }

    /// `Coding Assistant (prod)` → `coding-assistant-prod`.
    static func slug(_ text: String) -> String {
        var out = ""
        var dash = false
        for ch in text.lowercased() {
            if ch.isASCII, ch.isLetter || ch.isNumber {
                if dash, !out.isEmpty { out.append("-") }
                out.append(ch)
                dash = false
            } else {
                dash = true
            }
        }
        return out.isEmpty ? "system" : String(out.prefix(64))
    }

    func decodeZone(_ r: MapReader, _ info: ElementInfo) -> Zone? {
        Zone(info: info, trust: r.enumeration("trust") ?? .untrusted)
    }

    func decodeHuman(_ r: MapReader, _ info: ElementInfo) -> Human? {
        Human(info: info, role: r.enumeration("role") ?? .user, zone: r.ref("zone"), uses: r.refs("uses"), access: r.refs("access"))
    }

    func decodeAgent(_ r: MapReader, _ info: ElementInfo) -> Agent? {
        let subject = "agent '\(info.id)'"
        var identity: Identity?
        if let node = r.value("identity"), let ir = MapReader(node, spec: LanguageSpec.identity, subject: "the identity of \(subject)", diagnostics: diagnostics) {
            identity = Identity(kind: ir.enumeration("kind") ?? .none, id: ir.string("id"))
        }
        let memory: [MemoryUse] = r.objects("memory").compactMap { node in
            if node.scalar != nil, let ref = r.reference(node, key: "memory") {
                return MemoryUse(data: ref, access: .readWrite) // shorthand: a bare id
            }
            guard let mr = MapReader(node, spec: LanguageSpec.memoryUse, subject: "a memory entry of \(subject)", diagnostics: diagnostics),
                  let ref = mr.ref("id") else { return nil }
            return MemoryUse(data: ref, access: mr.enumeration("access") ?? .readWrite)
        }
        var intentIDs = Set<String>()
        let intents: [Intent] = r.objects("intents").compactMap { node in
            guard let ir = MapReader(node, spec: LanguageSpec.intent, subject: "an intent of \(subject)", diagnostics: diagnostics),
                  let id = ir.string("id") else { return nil }
            if !intentIDs.insert(id).inserted {
                diagnostics.error(.duplicateID, "intent '\(id)' is declared twice in \(subject)", at: ir.location("id") ?? node.location)
                return nil
            }
            return Intent(id: id, description: ir.string("description"), tools: ir.refs("tools"), location: node.location)
        }
        let delegates: [Delegation] = r.objects("delegates").compactMap { node in
            guard let dr = MapReader(node, spec: LanguageSpec.delegation, subject: "a delegation of \(subject)", diagnostics: diagnostics),
                  let to = dr.ref("to") else { return nil }
            return Delegation(to: to, passes: dr.refs("passes"), exchange: dr.enumeration("exchange") ?? .none,
                              context: dr.enumeration("context") ?? .full, returns: dr.enumeration("returns") ?? .raw,
                              freshAuthorization: dr.bool("fresh_authorization") ?? false,
                              authentication: dr.enumeration("authentication") ?? .none, location: node.location)
        }
        var output = AgentOutput(renders: .text, fetchesURLs: .never)
        if let node = r.value("output"), let or = MapReader(node, spec: LanguageSpec.output, subject: "the output of \(subject)", diagnostics: diagnostics) {
            output = AgentOutput(renders: or.enumeration("renders") ?? .text, fetchesURLs: or.enumeration("fetches_urls") ?? .never)
        }
        return Agent(info: info, zone: r.ref("zone"), model: r.string("model"), autonomy: r.enumeration("autonomy") ?? .autonomous,
                     identity: identity, tools: r.refs("tools"), credentials: r.refs("credentials"), memory: memory,
                     reads: r.refs("reads"), intents: intents, delegates: delegates, longRunning: r.bool("long_running") ?? false,
                     context: r.enumeration("context") ?? .persistent, output: output)
    }

    func decodeTool(_ r: MapReader, _ info: ElementInfo) -> Tool? {
        let effects: [Effect] = r.enumerations("effects")
        let egress: EgressMode = r.enumeration("egress") ?? (effects.contains(.egress) ? .any : .none)
        return Tool(info: info, server: r.ref("server"), effects: effects, reads: r.refs("reads"), writes: r.refs("writes"),
                    egress: egress, credential: r.ref("credential"))
    }

    func decodeServer(_ r: MapReader, _ info: ElementInfo) -> MCPServer? {
        MCPServer(info: info, source: r.string("source"), version: r.string("version"), pinned: r.bool("pinned") ?? false,
                  integrity: r.string("integrity"), publisher: r.enumeration("publisher") ?? .unknown, runs: r.enumeration("runs"),
                  transport: r.enumeration("transport"), zone: r.ref("zone"), credential: r.ref("credential"))
    }

    func decodeCredential(_ r: MapReader, _ info: ElementInfo) -> Credential? {
        Credential(info: info, kind: r.enumeration("kind"), scopes: r.strings("scopes"), grants: r.refs("grants"),
                   ttl: r.duration("ttl") ?? .never, storage: r.enumeration("storage"), custody: r.enumeration("custody"),
                   binding: r.enumeration("binding") ?? .bearer, issued: r.enumeration("issued") ?? .static,
                   revocation: r.enumeration("revocation") ?? .none, boundTo: r.string("bound_to"))
    }

    func decodeData(_ r: MapReader, _ info: ElementInfo) -> DataStore? {
        DataStore(info: info, kind: r.enumeration("kind"), sensitivity: r.enumeration("sensitivity") ?? .internal,
                  trust: r.enumeration("trust"), audience: r.enumeration("audience") ?? .internal, zone: r.ref("zone"))
    }

    func decodeLauncher(_ r: MapReader, _ info: ElementInfo) -> Launcher? {
        Launcher(info: info, kind: r.enumeration("kind"), source: r.string("source"), pinned: r.bool("pinned") ?? false,
                 publisher: r.enumeration("publisher") ?? .unknown, launches: r.refs("launches"), sets: r.enumerations("sets"),
                 zone: r.ref("zone"))
    }

    func decodeControl(_ r: MapReader, _ info: ElementInfo) -> Control? {
        guard let kind: ControlKind = r.enumeration("kind") else { return nil }
        return Control(info: info, kind: kind, appliesTo: r.refs("applies_to"), effects: r.has("effects") ? r.enumerations("effects") : nil,
                       status: r.enumeration("status") ?? .enforced, evidence: r.string("evidence"),
                       shows: r.enumeration("shows") ?? .summary, grant: r.enumeration("grant") ?? .perSession,
                       destinations: r.strings("destinations"))
    }
}

extension String {
    func replacingSpaces() -> String { String(map { $0 == " " ? "-" : $0 }) }
}
