/// The model language as data: every object, key, type, default and meaning. The decoder
/// checks keys against it and `agentpath schema` turns it into a JSON Schema, so the two
/// cannot drift apart.
public indirect enum FieldType: Sendable {
    case string
    case bool
    case duration
    case strings
    case enumeration([String])
    case enumerations([String])
    case ref([ElementKind])
    case refs([ElementKind])
    case object(ObjectSpec)
    case objects(ObjectSpec)

    static func oneOf<E: ModelEnum>(_: E.Type) -> FieldType { .enumeration(E.allCases.map(\.rawValue)) }
    static func listOf<E: ModelEnum>(_: E.Type) -> FieldType { .enumerations(E.allCases.map(\.rawValue)) }
}

public struct FieldSpec: Sendable {
    public var name: String
    public var type: FieldType
    public var required: Bool
    public var defaultValue: String?
    public var doc: String

    init(_ name: String, _ type: FieldType, required: Bool = false, default defaultValue: String? = nil, _ doc: String) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.doc = doc
    }
}

public struct ObjectSpec: Sendable {
    public var name: String
    public var doc: String
    public var fields: [FieldSpec]

    public var keys: [String] { fields.map(\.name) }
    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
}

public enum LanguageSpec {
    public static let version = 1

    static let common: [FieldSpec] = [
        FieldSpec("id", .string, required: true, "Unique across the whole model; `[a-z0-9][a-z0-9._-]*`."),
        FieldSpec("name", .string, "Display name."),
        FieldSpec("description", .string, "What it is, in a sentence."),
        FieldSpec("owner", .string, "Team or person who answers for it."),
        FieldSpec("tags", .strings, "Free labels."),
    ]

    static let assets: [ElementKind] = [.data, .tool]

    public static let system = ObjectSpec(name: "system", doc: "The system the model describes.", fields: [
        FieldSpec("id", .string, "Output folder name; defaults to a slug of `name`."),
        FieldSpec("name", .string, required: true, "The system's name."),
        FieldSpec("description", .string, "What the system does."),
        FieldSpec("owner", .string, "Team that owns the system."),
        FieldSpec("environment", .string, "e.g. production, staging."),
    ])

    public static let zone = ObjectSpec(name: "zone", doc: "A trust boundary.", fields: common + [
        FieldSpec("trust", .oneOf(ZoneTrust.self), required: true, "How far what runs or lives there is trusted."),
    ])

    public static let human = ObjectSpec(name: "human", doc: "A person in the loop.", fields: common + [
        FieldSpec("role", .oneOf(HumanRole.self), default: "user", "What the person does; `external` is outside the organisation."),
        FieldSpec("zone", .ref([.zone]), "Where the person sits."),
        FieldSpec("uses", .refs([.agent]), "Agents this person can instruct (acts on behalf of them)."),
        FieldSpec("access", .refs(assets), "Data and tools the person may reach directly."),
    ])

    static let identity = ObjectSpec(name: "identity", doc: "The agent's workload identity.", fields: [
        FieldSpec("kind", .oneOf(IdentityKind.self), required: true, "How the agent is identified; `shared` loses attribution."),
        FieldSpec("id", .string, "The identity's name (SPIFFE ID, client id, account)."),
    ])

    static let memoryUse = ObjectSpec(name: "memory use", doc: "A memory store the agent reads or writes.", fields: [
        FieldSpec("id", .ref([.data]), required: true, "The data element holding the memory."),
        FieldSpec("access", .oneOf(MemoryAccessMode.self), default: "read_write", "Whether the agent reads, writes or both."),
    ])

    static let intent = ObjectSpec(name: "intent", doc: "A named task and the tools it may use.", fields: [
        FieldSpec("id", .string, required: true, "The intent's name, unique within the agent."),
        FieldSpec("description", .string, "What the task is."),
        FieldSpec("tools", .refs([.tool]), "Tools the task may use (a subset of the agent's tools)."),
    ])

    static let delegation = ObjectSpec(name: "delegation", doc: "A hand-off of work to another agent.", fields: [
        FieldSpec("to", .ref([.agent]), required: true, "The sub-agent."),
        FieldSpec("passes", .refs([.credential]), "Credentials handed on as they are."),
        FieldSpec("exchange", .oneOf(Exchange.self), default: "none", "How the sub-agent gets its own authority."),
        FieldSpec("context", .oneOf(DelegatedContext.self), default: "full", "What of the parent's context flows down."),
        FieldSpec("returns", .oneOf(DelegationReturn.self), default: "raw", "What flows back up."),
        FieldSpec("fresh_authorization", .bool, default: "false", "Whether each delegated call gets its own authorization decision."),
        FieldSpec("authentication", .oneOf(MessageAuthentication.self), default: "none", "Whether the receiver can tell the message came from the delegator."),
    ])

    static let output = ObjectSpec(name: "output", doc: "How the agent's output is shown.", fields: [
        FieldSpec("renders", .oneOf(Rendering.self), default: "text", "How the client renders the output."),
        FieldSpec("fetches_urls", .oneOf(URLFetching.self), default: "never", "Whether the client fetches URLs in the output by itself (`auto` is a zero-click egress)."),
    ])

    public static let agent = ObjectSpec(name: "agent", doc: "An autonomous LLM workload.", fields: common + [
        FieldSpec("zone", .ref([.zone]), "Where the agent runs."),
        FieldSpec("model", .string, "The model it runs on."),
        FieldSpec("autonomy", .oneOf(Autonomy.self), default: "autonomous", "How far it acts without a person."),
        FieldSpec("identity", .object(identity), "Its workload identity."),
        FieldSpec("tools", .refs([.tool]), "Tools it can call."),
        FieldSpec("credentials", .refs([.credential]), "Credentials it holds."),
        FieldSpec("memory", .objects(memoryUse), "Memory stores it reads or writes."),
        FieldSpec("reads", .refs([.data]), "Content put straight into its context (e.g. the user's chat)."),
        FieldSpec("intents", .objects(intent), "Named tasks with the tools each may use."),
        FieldSpec("delegates", .objects(delegation), "Agents it hands work to."),
        FieldSpec("long_running", .bool, default: "false", "Whether it runs beyond one task."),
        FieldSpec("context", .oneOf(ContextMode.self), default: "persistent", "Whether each task starts from a fresh context."),
        FieldSpec("output", .object(output), "How its output is shown."),
    ])

    public static let tool = ObjectSpec(name: "tool", doc: "A callable capability.", fields: common + [
        FieldSpec("server", .ref([.mcpServer]), "The MCP server that provides it."),
        FieldSpec("effects", .listOf(Effect.self), "What calling it does; none stated means none (with a warning)."),
        FieldSpec("reads", .refs([.data]), "Data whose content the call returns."),
        FieldSpec("writes", .refs([.data]), "Data the call writes."),
        FieldSpec("egress", .oneOf(EgressMode.self), default: "any with the egress effect, else none", "Where it can send data out."),
        FieldSpec("credential", .ref([.credential]), "The credential the call uses."),
    ])

    public static let mcpServer = ObjectSpec(name: "mcp_server", doc: "A tool provider.", fields: common + [
        FieldSpec("source", .string, "Package or URL."),
        FieldSpec("version", .string, "The version in use."),
        FieldSpec("pinned", .bool, default: "false", "Whether version and tool descriptions are pinned."),
        FieldSpec("integrity", .string, "Hash or signature checked at install."),
        FieldSpec("publisher", .oneOf(Publisher.self), default: "unknown", "Who publishes it."),
        FieldSpec("runs", .oneOf(ServerRuns.self), "Local servers run with the host user's rights."),
        FieldSpec("transport", .oneOf(Transport.self), "How the client talks to it."),
        FieldSpec("zone", .ref([.zone]), "Where it runs."),
        FieldSpec("credential", .ref([.credential]), "The credential the server itself holds."),
    ])

    public static let credential = ObjectSpec(name: "credential", doc: "A secret or token (a non-human identity).", fields: common + [
        FieldSpec("kind", .oneOf(CredentialKind.self), "What sort of secret."),
        FieldSpec("scopes", .strings, "Scopes as the issuer names them."),
        FieldSpec("grants", .refs(assets), "Data and tools it gives access to."),
        FieldSpec("ttl", .duration, default: "never", "Lifetime: `15m`, `1h30m`, `7d` or `never`."),
        FieldSpec("storage", .oneOf(CredentialStorage.self), "Where it is kept; unset is treated as exposed."),
        FieldSpec("custody", .oneOf(Custody.self), "Who holds it."),
        FieldSpec("binding", .oneOf(Binding.self), default: "bearer", "Sender-constrained tokens cannot be replayed elsewhere."),
        FieldSpec("issued", .oneOf(Issuance.self), default: "static", "Static, or just in time per task."),
        FieldSpec("revocation", .oneOf(Revocation.self), default: "none", "When it is revoked."),
        FieldSpec("bound_to", .string, "The identity it is bound to."),
    ])

    public static let data = ObjectSpec(name: "data", doc: "A store or stream of content.", fields: common + [
        FieldSpec("kind", .oneOf(DataKind.self), "What sort of store."),
        FieldSpec("sensitivity", .oneOf(Sensitivity.self), default: "internal", "Confidentiality: public < internal < confidential < restricted < secret."),
        FieldSpec("trust", .oneOf(DataTrust.self), default: "untrusted in an untrusted zone, else trusted", "Whether someone outside can write content into it."),
        FieldSpec("audience", .oneOf(Audience.self), default: "internal", "Who can read it; writing into public data is an egress."),
        FieldSpec("zone", .ref([.zone]), "Where it lives."),
    ])

    public static let launcher = ObjectSpec(name: "launcher", doc: "Non-LLM software that starts agents.", fields: common + [
        FieldSpec("kind", .oneOf(LauncherKind.self), "What sort of launcher."),
        FieldSpec("source", .string, "Package, repository or URL."),
        FieldSpec("pinned", .bool, default: "false", "Whether its version is pinned."),
        FieldSpec("publisher", .oneOf(Publisher.self), default: "unknown", "Who publishes it."),
        FieldSpec("launches", .refs([.agent]), "Agents it starts."),
        FieldSpec("sets", .listOf(LauncherSetting.self), "What it decides for the agents it starts."),
        FieldSpec("zone", .ref([.zone]), "Where it runs."),
    ])

    public static let control = ObjectSpec(name: "control", doc: "A control in force (or planned).", fields: common + [
        FieldSpec("kind", .oneOf(ControlKind.self), required: true, "What the control does."),
        FieldSpec("applies_to", .refs([.agent, .tool, .mcpServer, .credential, .data, .launcher, .human]), "Elements it covers."),
        FieldSpec("effects", .listOf(Effect.self), default: "all", "Effects it covers."),
        FieldSpec("status", .oneOf(ControlStatus.self), default: "enforced", "Only `enforced` controls block a step."),
        FieldSpec("evidence", .string, "A link or note showing it is in force."),
        FieldSpec("shows", .oneOf(ApprovalShows.self), default: "summary", "human_approval: what the approver sees."),
        FieldSpec("grant", .oneOf(ApprovalGrant.self), default: "per_session", "human_approval: how long an approval lasts."),
        FieldSpec("destinations", .strings, "egress_allowlist: the allowed destinations."),
    ])

    public static func spec(for kind: ElementKind) -> ObjectSpec {
        switch kind {
        case .zone: zone
        case .human: human
        case .agent: agent
        case .tool: tool
        case .mcpServer: mcpServer
        case .credential: credential
        case .data: data
        case .launcher: launcher
        case .control: control
        }
    }

    /// The top level of one model file.
    public static let file = ObjectSpec(name: "model file", doc: "One file of an agentpath model.", fields: [
        FieldSpec("version", .enumeration(["1"]), "The language version; required in the file that holds `system`."),
        FieldSpec("system", .object(system), "The system; exactly one file of a model has it."),
        FieldSpec("include", .strings, "Further files of the model, relative to this one."),
    ] + ElementKind.allCases.map { FieldSpec($0.section, .objects(spec(for: $0)), spec(for: $0).doc) })
}
