/// GV007 — an autonomous agent with a destructive tool and no approval declared at all.
public struct AutonomousDestructiveRule: Rule {
    public static let info = RuleInfo(
        id: "GV007", slug: "autonomous-destructive-no-approval", title: "Autonomous agent with destructive tools and no approval step",
        rationale: "Even where no path is open today, an autonomous agent with delete, payment or code-execution tools and no approval step declared anywhere has no human checkpoint to fall back on.",
        kind: .governance, defaultScore: 4.5, cutBy: [.humanApproval])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        return ctx.agents.compactMap { a in
            guard a.autonomy == .autonomous else { return nil }
            let destructive = ctx.tools(of: a).filter { t in
                [Effect.delete, .payment, .execute].contains(where: t.has)
                    && !ctx.controls(on: [a.id, t.id]).contains { $0.kind == .humanApproval }
            }
            guard !destructive.isEmpty else { return nil }
            return .governance(Self.info, element: a.id, impact: "no approval step for \(destructive.map(\.id).joined(separator: ", "))",
                               summary: "autonomous agent '\(a.id)' holds \(destructive.map { "'\($0.id)'" }.joined(separator: ", ")) with no human approval declared (in any status)",
                               at: a.info.location(of: "autonomy"))
        }
    }
}
