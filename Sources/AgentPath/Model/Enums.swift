/// The closed vocabularies of the model language. Raw values are the YAML spellings.
public protocol ModelEnum: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {}

public enum ZoneTrust: String, ModelEnum { case trusted, partner, untrusted }
public enum HumanRole: String, ModelEnum { case user, approver, `operator`, external }
public enum Autonomy: String, ModelEnum { case supervised, approval, autonomous }
public enum IdentityKind: String, ModelEnum {
    case spiffe, oidc, serviceAccount = "service_account", userDelegated = "user_delegated", apiKey = "api_key", shared, none
}
public enum MemoryAccessMode: String, ModelEnum {
    case read, write, readWrite = "read_write"
    public var reads: Bool { self != .write }
    public var writes: Bool { self != .read }
}
public enum ContextMode: String, ModelEnum { case perTask = "per_task", persistent }
public enum Rendering: String, ModelEnum { case text, markdown, html }
public enum URLFetching: String, ModelEnum { case never, onClick = "on_click", auto }
public enum Effect: String, ModelEnum, Comparable {
    case read, write, delete, execute, egress, spawn, payment, credentialIssue = "credential_issue"
    public static func < (a: Effect, b: Effect) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
public enum EgressMode: String, ModelEnum { case none, allowlist, any }
public enum Publisher: String, ModelEnum { case firstParty = "first_party", vendor, community, unknown }
public enum ServerRuns: String, ModelEnum { case local, remote }
public enum Transport: String, ModelEnum { case stdio, http }
public enum CredentialKind: String, ModelEnum {
    case apiKey = "api_key", pat, oauthToken = "oauth_token", sessionToken = "session_token"
    case workloadIdentity = "workload_identity", password, certificate
}
public enum CredentialStorage: String, ModelEnum { case hardcoded, env, file, inline, vault, broker }
public enum Custody: String, ModelEnum { case `self`, vendor, user }
public enum Binding: String, ModelEnum { case bearer, senderConstrained = "sender_constrained" }
public enum Issuance: String, ModelEnum { case `static`, jit }
public enum Revocation: String, ModelEnum { case onTaskEnd = "on_task_end", manual, none }
public enum DataKind: String, ModelEnum {
    case repository, database, bucket, mailbox, ticketing, web, documents
    case vectorStore = "vector_store", secretStore = "secret_store", memory, log
}
/// Ordered: public < internal < confidential < restricted < secret.
public enum Sensitivity: String, ModelEnum, Comparable {
    case `public`, `internal`, confidential, restricted, secret
    public var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Sensitivity, b: Sensitivity) -> Bool { a.rank < b.rank }
}
public enum DataTrust: String, ModelEnum { case trusted, untrusted }
public enum Audience: String, ModelEnum { case `public`, partner, `internal`, restricted }
public enum LauncherKind: String, ModelEnum { case `extension`, ciJob = "ci_job", script, packageHook = "package_hook" }
public enum LauncherSetting: String, ModelEnum { case prompt, flags, approvalsOff = "approvals_off" }
public enum ControlKind: String, ModelEnum {
    case runtimeAuthorization = "runtime_authorization", humanApproval = "human_approval"
    case egressAllowlist = "egress_allowlist", jitCredentials = "jit_credentials", toolPinning = "tool_pinning"
    case sandbox, quarantine, inputIsolation = "input_isolation", outputFilter = "output_filter"
    case messageSigning = "message_signing", auditLogging = "audit_logging", rateLimit = "rate_limit"
    case memoryValidation = "memory_validation"
}
public enum ControlStatus: String, ModelEnum { case enforced, monitor, planned }
public enum ApprovalShows: String, ModelEnum { case fullArguments = "full_arguments", summary }
public enum ApprovalGrant: String, ModelEnum { case perCall = "per_call", perSession = "per_session", allowAlways = "allow_always" }
public enum Exchange: String, ModelEnum { case none, tokenExchange = "token_exchange", freshJIT = "fresh_jit" }
public enum DelegatedContext: String, ModelEnum { case full, summary, none }
public enum DelegationReturn: String, ModelEnum { case raw, summary }
public enum MessageAuthentication: String, ModelEnum { case none, signed, mtls }

/// The kinds of element a model holds; each is a top-level list.
public enum ElementKind: String, Sendable, Hashable, CaseIterable, Comparable {
    case zone, human, agent, tool, mcpServer = "mcp_server", credential, data, launcher, control

    /// The top-level key that lists elements of this kind.
    public var section: String {
        switch self {
        case .zone: "zones"
        case .human: "humans"
        case .agent: "agents"
        case .tool: "tools"
        case .mcpServer: "mcp_servers"
        case .credential: "credentials"
        case .data: "data"
        case .launcher: "launchers"
        case .control: "controls"
        }
    }

    /// The noun a diagnostic uses: "unknown MCP server 'x'".
    public var noun: String {
        switch self {
        case .mcpServer: "MCP server"
        case .data: "data element"
        default: rawValue
        }
    }

    public static func < (a: ElementKind, b: ElementKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
