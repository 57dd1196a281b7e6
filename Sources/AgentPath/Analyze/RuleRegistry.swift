/// Every rule, in report order. Adding a rule: one file in Rules/ and one line here.
public enum RuleRegistry {
    public static let all: [any Rule] = [
        ExfiltrationRule(), UntrustedActionRule(), CredentialInheritanceRule(), ConfusedDeputyRule(),
        MemoryPersistenceRule(), ToolPoisoningRule(), ForgedMessageRule(), CredentialTheftRule(),
        ApprovalBypassRule(), UnattendedHarmRule(),
        AgentWithoutOwnerRule(), NoAuditLoggingRule(), ExcessCredentialScopeRule(), SharedIdentityRule(),
        JITWithoutRevocationRule(), ApprovalDriftRule(), AutonomousDestructiveRule(), NoRuntimeAuthorizationRule(),
        UnpinnedLauncherRule(),
    ]

    public static var infos: [RuleInfo] { all.map { type(of: $0).info } }
    public static var ids: Set<String> { Set(infos.map(\.id)) }
    public static func info(_ id: String) -> RuleInfo? { infos.first { $0.id == id } }
}
