/// GV001 — nobody answers for an agent.
public struct AgentWithoutOwnerRule: Rule {
    public static let info = RuleInfo(
        id: "GV001", slug: "agent-without-owner", title: "Agent has no owner",
        rationale: "An agent is a workload identity; without an owner nobody reviews its grants, rotates its credentials or answers for its actions.",
        kind: .governance, defaultScore: 3, cutBy: [])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        input.ctx.agents.filter { $0.info.owner == nil }.map {
            .governance(Self.info, element: $0.id, impact: "no accountable owner", summary: "agent '\($0.id)' has no owner", at: $0.info.location(of: "id"))
        }
    }
}
