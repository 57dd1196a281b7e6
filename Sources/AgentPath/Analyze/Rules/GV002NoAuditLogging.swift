/// GV002 — tool calls, delegations or credential use that no enforced audit log records.
public struct NoAuditLoggingRule: Rule {
    public static let info = RuleInfo(
        id: "GV002", slug: "no-audit-logging", title: "Agent actions are not audit-logged",
        rationale: "Runtime decisions are only accountable if every tool call, delegation and credential use is recorded with the agent's identity.",
        kind: .governance, defaultScore: 4, cutBy: [.auditLogging])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        return ctx.agents.compactMap { a in
            func logged(_ ids: [String]) -> Bool {
                ctx.controls(on: [a.id] + ids).contains { $0.kind == .auditLogging && $0.isEnforced }
            }
            var gaps: [String] = []
            let tools = ctx.tools(of: a)
            let unlogged = tools.filter { !logged([$0.id] + ($0.server.map { [$0.id] } ?? [])) }
            if !unlogged.isEmpty { gaps.append("tool calls (\(unlogged.prefix(3).map(\.id).joined(separator: ", "))\(unlogged.count > 3 ? ", …" : ""))") }
            if !a.delegates.isEmpty, !logged([]) { gaps.append("delegations") }
            if !a.credentials.isEmpty, !logged(a.credentials.map(\.id)) { gaps.append("credential use") }
            guard !gaps.isEmpty else { return nil }
            return .governance(Self.info, element: a.id, impact: "unlogged \(listing(gaps, conjunction: "and"))",
                               summary: "agent '\(a.id)': no enforced audit logging of \(listing(gaps, conjunction: "and"))", at: a.info.location(of: "id"))
        }
    }
}
