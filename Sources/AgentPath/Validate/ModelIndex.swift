/// Where each id lives: its kind and position in that kind's list.
public struct ModelIndex: Sendable {
    public struct Entry: Sendable, Hashable {
        public var kind: ElementKind
        public var position: Int
    }

    public private(set) var entries: [String: Entry] = [:]
    public private(set) var idsByKind: [ElementKind: [String]] = [:]

    init() {}

    /// Returns the earlier entry when the id is already taken.
    mutating func insert(_ id: String, kind: ElementKind, position: Int) -> Entry? {
        if let existing = entries[id] { return existing }
        entries[id] = Entry(kind: kind, position: position)
        idsByKind[kind, default: []].append(id)
        return nil
    }

    public subscript(id: String) -> Entry? { entries[id] }

    public func kind(of id: String) -> ElementKind? { entries[id]?.kind }

    public func ids(of kinds: [ElementKind]) -> [String] { kinds.flatMap { idsByKind[$0] ?? [] } }
}

/// A model that passed validation: every reference resolves, defaults are resolved.
public struct ValidatedModel: Sendable {
    public var model: Model
    public var index: ModelIndex

    public func agent(_ id: String) -> Agent? { position(id, .agent).map { model.agents[$0] } }
    public func tool(_ id: String) -> Tool? { position(id, .tool).map { model.tools[$0] } }
    public func server(_ id: String) -> MCPServer? { position(id, .mcpServer).map { model.mcpServers[$0] } }
    public func credential(_ id: String) -> Credential? { position(id, .credential).map { model.credentials[$0] } }
    public func data(_ id: String) -> DataStore? { position(id, .data).map { model.data[$0] } }
    public func zone(_ id: String) -> Zone? { position(id, .zone).map { model.zones[$0] } }
    public func human(_ id: String) -> Human? { position(id, .human).map { model.humans[$0] } }

    func position(_ id: String, _ kind: ElementKind) -> Int? {
        guard let e = index[id], e.kind == kind else { return nil }
        return e.position
    }

    /// The info of any element by id.
    public func info(_ id: String) -> ElementInfo? {
        guard let e = index[id] else { return nil }
        switch e.kind {
        case .zone: return model.zones[e.position].info
        case .human: return model.humans[e.position].info
        case .agent: return model.agents[e.position].info
        case .tool: return model.tools[e.position].info
        case .mcpServer: return model.mcpServers[e.position].info
        case .credential: return model.credentials[e.position].info
        case .data: return model.data[e.position].info
        case .launcher: return model.launchers[e.position].info
        case .control: return model.controls[e.position].info
        }
    }
}
