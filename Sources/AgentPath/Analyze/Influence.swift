/// How an origin's content reaches agents: the shortest chain to each agent, preferring a
/// chain that no enforced control blocks (docs/analysis.md, "Influence").
public struct InfluenceChain: Sendable {
    public var steps: [PathStep]
    public var isOpen: Bool
}

public struct Influence: Sendable {
    public let origin: Origin
    /// Agent ids in the order they were reached (shortest first), for stable output.
    public let order: [String]
    /// Per reached agent: the agent it was reached from (nil for a first hop), the steps of
    /// that last hop, and whether the whole chain is open. Chains are rebuilt on demand, so
    /// memory stays linear in the agents reached.
    private let links: [String: Link]

    struct Link: Sendable {
        var from: String?
        var steps: [PathStep]
        var open: Bool
    }

    /// Only direct influence (context, delegation, returns); hops through stores are rule AP005's.
    public func contains(_ agent: String) -> Bool { links[agent] != nil }

    public func chain(_ agent: String) -> InfluenceChain? {
        guard let last = links[agent] else { return nil }
        var parts: [[PathStep]] = [last.steps]
        var cursor = last.from
        while let id = cursor, let link = links[id] {
            parts.append(link.steps)
            cursor = link.from
        }
        return InfluenceChain(steps: parts.reversed().flatMap { $0 }, isOpen: last.open)
    }

    public init(origin: Origin, ctx: AnalysisContext, evaluator: ControlEvaluator, hopSteps: inout [String: PathStep]) {
        self.origin = origin
        var links: [String: Link] = [:]
        var order: [String] = []
        // Phase 1 walks only unblocked steps; phase 2 walks on from everything phase 1 reached,
        // through blocked steps too, so a mitigated chain is reported as such.
        for openOnly in [true, false] {
            var queue: [(agent: Agent, link: Link)] = []
            var expanded = Set<String>()
            if !openOnly {
                for id in order { if let a = ctx.agent(id) { queue.append((a, links[id]!)) } }
            }
            for hop in origin.firstHops {
                let open = hop.steps.allSatisfy { $0.blockedBy.isEmpty }
                if openOnly && !open { continue }
                queue.append((hop.agent, Link(from: nil, steps: hop.steps, open: open)))
            }
            var head = 0
            while head < queue.count {
                let (agent, queued) = queue[head]
                head += 1
                guard expanded.insert(agent.id).inserted else { continue }
                if links[agent.id] == nil {
                    links[agent.id] = queued
                    order.append(agent.id)
                }
                let open = links[agent.id]!.open
                for (next, technique, d, at) in ctx.flowNeighbours(of: agent) where !expanded.contains(next.id) {
                    // The hop step does not depend on the origin: build it once for all origins.
                    let key = "\(agent.id)>\(next.id)>\(technique.rawValue)"
                    let s: PathStep
                    if let cached = hopSteps[key] {
                        s = cached
                    } else {
                        let text = technique == .delegate
                            ? "agent '\(agent.id)' delegates to '\(next.id)' with \(d.context.rawValue) context"
                            : "sub-agent '\(agent.id)' returns a \(d.returns.rawValue) result to '\(next.id)'"
                        s = evaluator.step(next.id, .agent, technique, via: agent.id, text, at: at, targets: [next.id], agent: next)
                        hopSteps[key] = s
                    }
                    let stepOpen = s.blockedBy.isEmpty
                    if openOnly && !stepOpen { continue }
                    queue.append((next, Link(from: agent.id, steps: [s], open: open && stepOpen)))
                }
            }
        }
        self.links = links
        self.order = order
    }
}
