/// A reference from one element to another by id, with where it was written.
public struct Ref: Hashable, Sendable, CustomStringConvertible {
    public var id: String
    public var location: SourceLocation
    public init(_ id: String, at location: SourceLocation) {
        self.id = id
        self.location = location
    }
    public var description: String { id }
}

/// A lifetime: `never`, or a number of seconds.
public enum TTL: Hashable, Sendable, CustomStringConvertible {
    case never
    case seconds(Int)

    public var seconds: Int? {
        if case .seconds(let s) = self { return s }
        return nil
    }

    /// Canonical spelling: `never`, `90s`, `15m`, `1h30m`, `7d`.
    public var description: String {
        guard case .seconds(var s) = self else { return "never" }
        if s == 0 { return "0s" }
        var out = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where s >= size {
            out += "\(s / size)\(unit)"
            s %= size
        }
        return out
    }
}

/// What every element carries: identity, documentation and where each key was written.
public struct ElementInfo: Hashable, Sendable {
    public var id: String
    public var name: String?
    public var description: String?
    public var owner: String?
    public var tags: [String]
    /// Where the element starts (its `- ` entry).
    public var location: SourceLocation
    /// Where each key's value was written, for findings that point at one line.
    public var keys: [String: SourceLocation]

    public init(id: String, location: SourceLocation) {
        self.id = id
        self.tags = []
        self.location = location
        self.keys = [:]
    }

    public func location(of key: String) -> SourceLocation { keys[key] ?? location }
    public var displayName: String { name ?? id }
}

public protocol Element: Sendable {
    static var kind: ElementKind { get }
    var info: ElementInfo { get }
}

extension Element {
    public var id: String { info.id }
    public var location: SourceLocation { info.location }
}

public struct SystemInfo: Hashable, Sendable {
    public var id: String
    public var name: String
    public var description: String?
    public var owner: String?
    public var environment: String?
    public var location: SourceLocation
}

public struct Zone: Element, Hashable {
    public static let kind = ElementKind.zone
    public var info: ElementInfo
    public var trust: ZoneTrust
}

public struct Human: Element, Hashable {
    public static let kind = ElementKind.human
    public var info: ElementInfo
    public var role: HumanRole
    public var zone: Ref?
    public var uses: [Ref]
    public var access: [Ref]
}

public struct Identity: Hashable, Sendable {
    public var kind: IdentityKind
    public var id: String?
}

public struct MemoryUse: Hashable, Sendable {
    public var data: Ref
    public var access: MemoryAccessMode
}

public struct Intent: Hashable, Sendable {
    public var id: String
    public var description: String?
    public var tools: [Ref]
    public var location: SourceLocation
}

public struct Delegation: Hashable, Sendable {
    public var to: Ref
    public var passes: [Ref]
    public var exchange: Exchange
    public var context: DelegatedContext
    public var returns: DelegationReturn
    public var freshAuthorization: Bool
    public var authentication: MessageAuthentication
    public var location: SourceLocation
}

public struct AgentOutput: Hashable, Sendable {
    public var renders: Rendering
    public var fetchesURLs: URLFetching
}

public struct Agent: Element, Hashable {
    public static let kind = ElementKind.agent
    public var info: ElementInfo
    public var zone: Ref?
    public var model: String?
    public var autonomy: Autonomy
    public var identity: Identity?
    public var tools: [Ref]
    public var credentials: [Ref]
    public var memory: [MemoryUse]
    public var reads: [Ref]
    public var intents: [Intent]
    public var delegates: [Delegation]
    public var longRunning: Bool
    public var context: ContextMode
    public var output: AgentOutput
}

public struct Tool: Element, Hashable {
    public static let kind = ElementKind.tool
    public var info: ElementInfo
    public var server: Ref?
    public var effects: [Effect]
    public var reads: [Ref]
    public var writes: [Ref]
    public var egress: EgressMode
    public var credential: Ref?

    public func has(_ effect: Effect) -> Bool { effects.contains(effect) }
}

public struct MCPServer: Element, Hashable {
    public static let kind = ElementKind.mcpServer
    public var info: ElementInfo
    public var source: String?
    public var version: String?
    public var pinned: Bool
    public var integrity: String?
    public var publisher: Publisher
    public var runs: ServerRuns?
    public var transport: Transport?
    public var zone: Ref?
    public var credential: Ref?
}

public struct Credential: Element, Hashable {
    public static let kind = ElementKind.credential
    public var info: ElementInfo
    public var kind: CredentialKind?
    public var scopes: [String]
    public var grants: [Ref]
    public var ttl: TTL
    /// nil: not stated, which the analysis treats as exposed.
    public var storage: CredentialStorage?
    public var custody: Custody?
    public var binding: Binding
    public var issued: Issuance
    public var revocation: Revocation
    public var boundTo: String?
}

public struct DataStore: Element, Hashable {
    public static let kind = ElementKind.data
    public var info: ElementInfo
    public var kind: DataKind?
    public var sensitivity: Sensitivity
    /// nil: not stated; the validator resolves it from the zone.
    public var trust: DataTrust?
    public var audience: Audience
    public var zone: Ref?
}

public struct Launcher: Element, Hashable {
    public static let kind = ElementKind.launcher
    public var info: ElementInfo
    public var kind: LauncherKind?
    public var source: String?
    public var pinned: Bool
    public var publisher: Publisher
    public var launches: [Ref]
    public var sets: [LauncherSetting]
    public var zone: Ref?
}

public struct Control: Element, Hashable {
    public static let kind = ElementKind.control
    public var info: ElementInfo
    public var kind: ControlKind
    public var appliesTo: [Ref]
    /// nil: covers every effect.
    public var effects: [Effect]?
    public var status: ControlStatus
    public var evidence: String?
    public var shows: ApprovalShows
    public var grant: ApprovalGrant
    public var destinations: [String]

    public var isEnforced: Bool { status == .enforced }
    public func covers(_ effect: Effect) -> Bool { effects?.contains(effect) ?? true }
}

/// A whole model as written: every element of every file, in file order.
public struct Model: Sendable {
    public var system: SystemInfo
    public var zones: [Zone] = []
    public var humans: [Human] = []
    public var agents: [Agent] = []
    public var tools: [Tool] = []
    public var mcpServers: [MCPServer] = []
    public var credentials: [Credential] = []
    public var data: [DataStore] = []
    public var launchers: [Launcher] = []
    public var controls: [Control] = []
    public var files: SourceFiles

    public init(system: SystemInfo, files: SourceFiles) {
        self.system = system
        self.files = files
    }

    public var elementCount: Int {
        zones.count + humans.count + agents.count + tools.count + mcpServers.count + credentials.count
            + data.count + launchers.count + controls.count
    }

    /// Every element with its kind, in declaration order per kind.
    public var allElements: [(kind: ElementKind, info: ElementInfo)] {
        var out: [(ElementKind, ElementInfo)] = []
        out.reserveCapacity(elementCount)
        out += zones.map { (.zone, $0.info) }
        out += humans.map { (.human, $0.info) }
        out += agents.map { (.agent, $0.info) }
        out += tools.map { (.tool, $0.info) }
        out += mcpServers.map { (.mcpServer, $0.info) }
        out += credentials.map { (.credential, $0.info) }
        out += data.map { (.data, $0.info) }
        out += launchers.map { (.launcher, $0.info) }
        out += controls.map { (.control, $0.info) }
        return out
    }
}
