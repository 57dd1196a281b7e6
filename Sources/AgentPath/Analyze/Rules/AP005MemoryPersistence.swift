/// AP005 — untrusted content written into memory or a store that a later session or another
/// agent reads; the reader then acts on it.
public struct MemoryPersistenceRule: Rule {
    public static let info = RuleInfo(
        id: "AP005", slug: "memory-persistence", title: "Injected content persists in memory and steers later work",
        rationale: "A steered agent that writes into memory or a shared store plants instructions that outlive the session. Every later reader is steered in turn, long after the original content is gone.",
        kind: .path, defaultScore: nil, cutBy: [.memoryValidation, .quarantine])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        var out: [PathCandidate] = []
        let budget = input.budget
        // What each reader can be steered to do, what each agent writes, and the write and
        // read steps do not depend on the origin: each is built once.
        var worst: [String: (PathStep, Double, String)?] = [:]
        var writesOf: [String: [(DataStore, String?, SourceLocation)]] = [:]
        var writeSteps: [String: PathStep] = [:]
        var readersOf: [String: [(Agent, AnalysisContext.Ingest, (PathStep, Double, String))]] = [:]
        var readSteps: [String: PathStep] = [:]
        for inf in input.influences {
            for wid in inf.order {
                guard let w = ctx.agent(wid) else { continue }
                if writesOf[wid] == nil { writesOf[wid] = writes(of: w, ctx).filter { !ctx.isUntrusted($0.0) } }
                let stores = writesOf[wid]!
                guard !stores.isEmpty, let chain = inf.chain(wid) else { continue }
                for (store, via, at) in stores {
                    if readersOf[store.id] == nil {
                        var readSeen = Set<String>()
                        var steered: [(Agent, AnalysisContext.Ingest, (PathStep, Double, String))] = []
                        for (r, ingest) in ctx.readers(of: store.id) where readSeen.insert(r.id).inserted {
                            if worst[r.id] == nil { worst[r.id] = .some(worstAction(of: r, input)) }
                            if let action = worst[r.id]! { steered.append((r, ingest, action)) }
                        }
                        readersOf[store.id] = steered
                    }
                    let readers = readersOf[store.id]!
                    guard !readers.isEmpty else { continue }
                    guard budget.wouldTake(inf.origin.id, store.id) else {
                        budget.recordDropped(inf.origin.id, store.id)
                        continue
                    }
                    let writeKey = "\(w.id)|\(store.id)"
                    let write = writeSteps[writeKey] ?? input.evaluator.step(w.id, .agent, .memoryWrite, via: store.id,
                        "agent '\(w.id)' writes into '\(store.id)'\(via.map { " through '\($0)'" } ?? "")", at: at,
                        targets: [w.id, store.id] + (via.map { [$0] } ?? []), agent: w, tool: via.flatMap { ctx.tool($0) }, effect: .write)
                    writeSteps[writeKey] = write
                    for (r, ingest, action) in readers {
                        guard budget.take(inf.origin.id, store.id) else { break }
                        let (impactStep, score, reason) = action
                        let readKey = "\(r.id)|\(store.id)|\(r.id == w.id)"
                        let later = r.id == w.id ? "in a later session, agent '\(r.id)'" : "agent '\(r.id)'"
                        let read = readSteps[readKey] ?? input.evaluator.step(r.id, .agent, .memoryRead, via: store.id,
                            "\(later) reads '\(store.id)'\(ingest.tool.map { " through '\($0.id)'" } ?? "")", at: ingest.location,
                            targets: [r.id, store.id] + (ingest.tool.map { [$0.id] } ?? []), agent: r, tool: ingest.tool)
                        readSteps[readKey] = read
                        out.append(PathCandidate(entry: inf.origin.id, impactKey: store.id,
                            impact: "instructions persist in '\(store.id)' and steer '\(r.id)'",
                            summary: "\(inf.origin.text) reaches '\(w.id)', which writes into '\(store.id)'; '\(r.id)' reads it later and can be steered",
                            steps: chain.steps + [write, read, impactStep], impactScore: score, impactReason: reason,
                            exposure: inf.origin.exposure * 0.9, exposureReason: inf.origin.exposureReason + "; persists across sessions",
                            actor: r, location: write.location))
                    }
                }
            }
        }
        return out
    }

    /// Stores an agent writes: memory with write access, and data its tools write.
    func writes(of a: Agent, _ ctx: AnalysisContext) -> [(DataStore, String?, SourceLocation)] {
        var out: [(DataStore, String?, SourceLocation)] = []
        var seen = Set<String>()
        for m in a.memory where m.access.writes {
            if let d = ctx.data(m.data.id), seen.insert(d.id).inserted { out.append((d, nil, m.data.location)) }
        }
        for t in ctx.tools(of: a) where t.has(.write) {
            for w in t.writes {
                if let d = ctx.data(w.id), d.kind == .memory || d.kind == .vectorStore, seen.insert(d.id).inserted { out.append((d, t.id, w.location)) }
            }
        }
        return out
    }

    /// The most harmful thing a reader can be steered to do (a consequential call, or an
    /// egress when it also reads sensitive data).
    func worstAction(of r: Agent, _ input: RuleInput) -> (PathStep, Double, String)? {
        let ctx = input.ctx
        var best: (PathStep, Double, String)?
        for t in ctx.tools(of: r) {
            for e in ctx.consequentialEffects(of: t) where e != .write || t.writes.contains(where: { ctx.data($0.id).map { !ctx.isUntrusted($0) && $0.audience != .public } ?? true }) {
                let s = Impact.effect(e)
                if best == nil || s > best!.1 {
                    let step = input.evaluator.step(r.id, .agent, .invokeConsequential, via: t.id, "agent '\(r.id)' calls '\(t.id)' (\(e.rawValue))", at: t.info.location(of: "effects"), targets: [r.id, t.id], agent: r, tool: t, effect: e)
                    best = (step, s, "\(e.rawValue) by a later reader")
                }
            }
        }
        if let sens = ctx.maxReadSensitivity(r), sens >= .confidential, let sink = ctx.egressSinks(of: r).first {
            let s = Impact.exfiltration(sens, allowed: sink.allowed)
            if best == nil || s > best!.1 {
                let step = input.evaluator.step(r.id, .agent, sink.technique, via: sink.tool?.id ?? sink.target?.id, "agent '\(r.id)' can send \(sens.rawValue) data to \(sink.destination)", at: sink.location, targets: [r.id] + [sink.tool?.id, sink.target?.id].compactMap { $0 }, agent: r, tool: sink.tool, effect: sink.technique == .egress ? .egress : (sink.technique == .publicWrite ? .write : nil))
                best = (step, s, "exfiltration of \(sens.rawValue) data by a later reader")
            }
        }
        return best
    }
}
