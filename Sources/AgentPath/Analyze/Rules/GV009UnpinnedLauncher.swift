/// GV009 — a launcher from outside that can set an agent's prompt or switch approvals off.
public struct UnpinnedLauncherRule: Rule {
    public static let info = RuleInfo(
        id: "GV009", slug: "unpinned-launcher", title: "Outside launcher can set an agent's prompt or approvals",
        rationale: "Software that starts an agent decides its prompt, flags and approval mode. If it is not pinned and not yours, whoever publishes it controls the agent.",
        kind: .governance, defaultScore: 6, cutBy: [.toolPinning])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        input.ctx.model.model.launchers.compactMap { l in
            guard !l.sets.isEmpty, l.publisher != .firstParty else { return nil }
            let offApprovals = l.sets.contains(.approvalsOff)
            return .governance(Self.info, element: l.id, impact: "controls \(l.launches.map(\.id).joined(separator: ", "))",
                summary: "launcher '\(l.id)' (\(l.publisher.rawValue)\(l.pinned ? ", pinned" : ", not pinned")) sets \(l.sets.map(\.rawValue).joined(separator: ", ")) for \(l.launches.map { "'\($0.id)'" }.joined(separator: ", "))",
                at: l.info.location(of: "sets"), score: l.pinned ? 4 : (offApprovals ? 7 : 6))
        }
    }
}
