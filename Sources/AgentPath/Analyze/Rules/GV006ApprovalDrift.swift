/// GV006 — tools an agent holds that no declared intent uses.
public struct ApprovalDriftRule: Rule {
    public static let info = RuleInfo(
        id: "GV006", slug: "approval-drift", title: "Tools granted outside every declared intent",
        rationale: "Intents say what the agent was approved to do. A tool outside all of them is access nobody approved for a task: remove it or declare the intent.",
        kind: .governance, defaultScore: 3.5, cutBy: [.runtimeAuthorization])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        input.ctx.agents.compactMap { a in
            guard !a.intents.isEmpty else { return nil }
            let inIntent = Set(a.intents.flatMap { $0.tools.map(\.id) })
            let drift = a.tools.filter { !inIntent.contains($0.id) }
            guard let first = drift.first else { return nil }
            return .governance(Self.info, element: a.id, impact: "tools outside every intent: \(drift.map(\.id).joined(separator: ", "))",
                               summary: "agent '\(a.id)' holds \(drift.map { "'\($0.id)'" }.joined(separator: ", ")) outside every declared intent",
                               at: first.location)
        }
    }
}
