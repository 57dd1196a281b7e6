/// The report's view model: plain dictionaries and arrays the Mustache templates render.
/// Every value is raw text; the templates escape it (`{{ }}`), and the only unescaped values
/// (`{{{ }}}`) are the CSS, script, SVG and JSON this module writes itself.
/// How much of a large model the report shows in full (docs/report.md, "Large models").
/// Below every bound the report is the same as without bounds.
public struct ReportLimits: Sendable, Hashable {
    /// Path groups shown with every step, control, cut and framework item: the first ones in
    /// report order (severity, then open before reduced before mitigated, then score). The
    /// others are one row each in the sortable, filterable path table.
    public var detailedPaths: Int
    /// Above this many elements the diagram is summarised: one box per element kind and zone,
    /// one edge per kind of link between two boxes, with counts.
    public var diagramElements: Int
    /// Rows of the path table, after the detailed paths (in report order). Above it the other
    /// path groups are only counted, per rule, in the rule summary (and `findings.json` has them).
    public var tableRows: Int
    /// Rows per inventory table. Above it the table shows that many (for credentials, the risky
    /// ones first) and says how many it leaves out.
    public var inventoryRows: Int

    public init(detailedPaths: Int = 200, tableRows: Int = 2_000, diagramElements: Int = 150, inventoryRows: Int = 1_000) {
        self.detailedPaths = max(0, detailedPaths)
        self.tableRows = max(0, tableRows)
        self.diagramElements = max(0, diagramElements)
        self.inventoryRows = max(0, inventoryRows)
    }
}

public enum ReportContext {
    static let asi = "owasp-asi-2026", maestro = "csa-maestro", nist = "nist-ai-rmf"

    /// What the gate says about one path, without the copy of the finding a `GateEntry` holds.
    struct PathMark {
        var verdict: GateVerdict
        var waiver: Waiver?
        var expiredWaiver: Waiver?
    }

    /// Path indices in the order the report shows them: by severity, then in the analyzer's
    /// order (open before reduced before mitigated, then score). One pass per severity.
    static func reportOrder(_ paths: [Finding]) -> [Int] {
        var buckets = [[Int]](repeating: [], count: FindingSeverity.allCases.count)
        for i in paths.indices { buckets[paths[i].severity.rank].append(i) }
        return buckets.flatMap { $0 }
    }

    public static func build(model vm: ValidatedModel, analysis r: AnalysisResult, frameworks fw: FrameworkSet,
                             gate g: GateResult, limits: ReportLimits = ReportLimits()) -> [String: Any] {
        build(model: vm, analysis: r, paths: r.paths, frameworks: fw, gate: g, limits: limits)
    }

    static func build(model vm: ValidatedModel, analysis r: AnalysisResult, paths: [Finding], frameworks fw: FrameworkSet,
                      gate g: GateResult, limits: ReportLimits, layers: LayerHits? = nil) -> [String: Any] {
        let files = vm.model.files
        let sys = vm.model.system
        func loc(_ l: SourceLocation) -> String {
            guard let p = files.path(l) else { return "" }
            return "\(p):\(l.line)"
        }
        let governance = r.governance
        // The gate's verdict for each finding; a finding it did not see (never, in practice) passes.
        // Looked up once per path by index: a GateEntry holds a whole Finding, and copying it
        // per question is what made the report slow on large models.
        var entryIndex: [String: Int] = [:]
        for (k, e) in g.entries.enumerated() where entryIndex[e.finding.fingerprint] == nil { entryIndex[e.finding.fingerprint] = k }
        func entry(_ f: Finding) -> GateEntry { entryIndex[f.fingerprint].map { g.entries[$0] } ?? GateEntry(finding: f, verdict: .pass) }
        let marks: [PathMark] = paths.indices.map { i in
            guard let k = entryIndex[paths[i].fingerprint] else { return PathMark(verdict: .pass, waiver: nil, expiredWaiver: nil) }
            return PathMark(verdict: g.entries[k].verdict, waiver: g.entries[k].waiver, expiredWaiver: g.entries[k].expiredWaiver)
        }
        let isWaived = marks.map { $0.verdict == .waived }
        let waivedTotal = isWaived.reduce(0) { $0 + ($1 ? 1 : 0) }
        var ctx: [String: Any] = [:]
        ctx["system"] = [
            "id": sys.id, "name": sys.name, "description": sys.description ?? "", "hasDescription": sys.description != nil,
            "owner": sys.owner ?? "", "hasOwner": sys.owner != nil, "environment": sys.environment ?? "", "hasEnvironment": sys.environment != nil,
            "elements": vm.model.elementCount, "location": loc(sys.location),
        ] as [String: Any]
        ctx["gate"] = gateContext(g, waivedPaths: waivedTotal)

        // 1. Summary: paths by status and severity. A path an unexpired waiver accepts counts as
        // waived, not under its status, so that each row adds up to its total. One pass.
        let severities = FindingSeverity.allCases, statuses: [PathStatus] = [.open, .reduced, .mitigated]
        var byStatus = [[Int]](repeating: [Int](repeating: 0, count: statuses.count), count: severities.count)
        var waivedBySeverity = [Int](repeating: 0, count: severities.count)
        var notMitigated = [Int](repeating: 0, count: severities.count)
        for i in paths.indices {
            let s = paths[i].severity.rank, st = paths[i].status
            if st != .mitigated { notMitigated[s] += 1 }
            if isWaived[i] { waivedBySeverity[s] += 1 } else if let k = statuses.firstIndex(of: st) { byStatus[s][k] += 1 }
        }
        func count(_ s: FindingSeverity, _ st: PathStatus) -> Int { byStatus[s.rank][statuses.firstIndex(of: st)!] }
        func waivedCount(_ s: FindingSeverity) -> Int { waivedBySeverity[s.rank] }
        let shown = severities.filter { $0 != .info || byStatus[$0.rank].reduce(0, +) + waivedBySeverity[$0.rank] > 0 }
        ctx["statusRows"] = shown.map { s -> [String: Any] in
            let o = count(s, .open), red = count(s, .reduced), m = count(s, .mitigated), w = waivedCount(s)
            return ["severity": s.rawValue, "open": o, "reduced": red, "mitigated": m, "waived": w, "total": o + red + m + w,
                    "openNonZero": o > 0, "reducedNonZero": red > 0, "waivedNonZero": w > 0]
        }
        func total(_ st: PathStatus) -> Int { severities.reduce(0) { $0 + count($1, st) } }
        ctx["totals"] = ["paths": paths.count, "open": total(.open), "reduced": total(.reduced), "mitigated": total(.mitigated),
                         "waived": waivedTotal, "governance": governance.count] as [String: Any]
        ctx["cards"] = severities.filter { $0 != .info }.map { s -> [String: Any] in
            let n = notMitigated[s.rank]
            let w = waivedCount(s)
            return ["severity": s.rawValue, "count": n, "zero": n == 0, "waived": w, "hasWaived": w > 0]
        }
        // Report order: by severity, then the analyzer's order (open first, then score). The
        // first `limits.detailedPaths` are shown in full, the next `limits.tableRows` get one row
        // in the path table, and the rest are counted in the rule summary.
        let order = reportOrder(paths)
        var position = [Int](repeating: 0, count: paths.count)
        for (k, i) in order.enumerated() { position[i] = k }
        let detailedCount = min(paths.count, limits.detailedPaths)
        let tableCount = min(paths.count - detailedCount, limits.tableRows)
        let listed = detailedCount + tableCount
        var byFingerprint: [String: Int] = [:]
        for i in paths.indices where byFingerprint[paths[i].fingerprint] == nil { byFingerprint[paths[i].fingerprint] = i }
        ctx["topCuts"] = r.recommendedCuts.prefix(3).enumerated().map { i, c -> [String: Any] in
            ["n": i + 1, "text": c.text, "control": c.cut.kind.rawValue, "target": c.cut.target, "closes": c.closes.count,
             "helps": c.neededFor.count, "hasHelps": !c.neededFor.isEmpty,
             "links": ruleLinks((c.closes + c.neededFor).compactMap { byFingerprint[$0] }, paths, position: position, listed: listed)]
        }
        ctx["hasCuts"] = !r.recommendedCuts.isEmpty
        ctx["moreCuts"] = r.recommendedCuts.dropFirst(3).map { ["text": $0.text] }
        ctx["hasMoreCuts"] = r.recommendedCuts.count > 3

        // 3. Paths by severity.
        func layer(_ t: StepTechnique) -> (String, String) {
            guard let ref = fw.crosswalk.refs(step: t.rawValue).first(where: { $0.catalog == maestro }) else { return ("", "") }
            return (ref.id, fw.item(ref)?.title ?? "")
        }
        var detailed = [Bool](repeating: false, count: paths.count)
        for i in order.prefix(detailedCount) { detailed[i] = true }
        var groups: [[String: Any]] = []
        for s in FindingSeverity.allCases {
            let all = order.filter { paths[$0].severity == s }
            if all.isEmpty { continue }
            let shownHere = all.filter { detailed[$0] }
            let rest = all.count - shownHere.count
            groups.append(["severity": s.rawValue, "count": all.count, "plural": all.count != 1,
                           "summarised": rest, "hasSummarised": rest > 0, "allSummarised": shownHere.isEmpty,
                           "paths": shownHere.map { i in pathContext(i, paths[i], loc, layer, fw, entry(paths[i])) }])
        }
        let bounded = detailedCount < paths.count
        ctx["bounds"] = ["active": bounded, "limit": limits.detailedPaths, "detailed": detailedCount,
                         "summarised": paths.count - detailedCount, "total": paths.count, "table": tableCount,
                         "tableLimit": limits.tableRows, "counted": paths.count - listed, "hasCounted": listed < paths.count] as [String: Any]
        if bounded {
            ctx["pathTable"] = pathTable(Array(order[detailedCount..<listed]), paths, marks)
            ctx["ruleSummary"] = ruleSummary(paths, position: position, detailed: detailedCount, listed: listed, waived: isWaived)
        }
        ctx["severityGroups"] = groups
        ctx["hasPaths"] = !paths.isEmpty
        // Rows written here, not by the template: this table grows with the model.
        var rows = HTMLWriter(capacity: governance.count * 400)
        for i in governance.indices {
            let sev = governance[i].severity.rawValue
            rows.raw("<tr><td>"); rows.text(governance[i].rule)
            rows.raw("</td><td data-sort=\""); rows.raw(sev); rows.raw("\"><span class=\"sev sev-"); rows.raw(sev); rows.raw("\">"); rows.raw(sev)
            rows.raw("</span></td><td><strong>"); rows.text(governance[i].title); rows.raw("</strong><br><span class=\"small\">"); rows.text(governance[i].summary)
            rows.raw("</span>")
            if let k = entryIndex[governance[i].fingerprint], let w = g.entries[k].waiver {
                rows.raw("<br><span class=\"chip chip-waived\">waived</span> <span class=\"small\">"); rows.text(acceptance(w)); rows.raw("</span>")
            }
            rows.raw("</td><td><code>"); rows.text(loc(governance[i].location)); rows.raw("</code></td></tr>\n    ")
        }
        ctx["governanceRows"] = rows.string
        ctx["hasGovernance"] = !governance.isEmpty
        if !r.truncated.isEmpty {
            ctx["hasTruncated"] = true
            ctx["truncated"] = r.truncated.sorted { $0.key < $1.key }.map { ["rule": $0.key, "count": $0.value] }
        }

        // 4. Framework views.
        ctx["asi"] = asiMatrix(paths, fw)
        ctx["maestro"] = maestroLayers(paths, fw, compact: bounded, hits: layers)
        ctx["nist"] = nistCoverage(r.findings, fw)

        // 5. Inventory.
        ctx["inventory"] = inventory(vm, loc, rows: limits.inventoryRows)
        return ctx
    }

    static func pathContext(_ i: Int, _ f: Finding, _ loc: (SourceLocation) -> String, _ layer: (StepTechnique) -> (String, String),
                            _ fw: FrameworkSet, _ verdict: GateEntry) -> [String: Any] {
        let cutSteps = Set(f.cuts.map(\.stepIndex))
        let steps = f.steps.enumerated().map { n, s -> [String: Any] in
            let (l, lt) = layer(s.technique)
            return ["n": n + 1, "element": s.element, "kind": SystemDiagram.kindLabel(s.kind), "technique": s.technique.rawValue,
                    "layer": l, "layerTitle": lt, "hasLayer": !l.isEmpty, "location": loc(s.location), "via": s.via ?? "", "hasVia": s.via != nil,
                    "effect": s.effect?.rawValue ?? "", "hasEffect": s.effect != nil, "text": s.text, "cutHere": cutSteps.contains(n),
                    "controls": s.controls.map { c in ["control": c.control, "kind": c.kind.rawValue, "strength": c.strength.rawValue, "reason": c.reason] },
                    "hasControls": !s.controls.isEmpty]
        }
        var catalogs: [String] = []
        var byCatalog: [String: [[String: Any]]] = [:]
        for ref in f.frameworks {
            if byCatalog[ref.catalog] == nil { catalogs.append(ref.catalog) }
            byCatalog[ref.catalog, default: []].append(["id": ref.id])
        }
        let text = [f.rule, f.title, f.summary, f.entry, f.impact].joined(separator: " ") + " " + f.steps.map { $0.element + " " + ($0.via ?? "") }.joined(separator: " ")
        return [
            "index": i, "anchor": "p\(i)", "open": i == 0, "rule": f.rule, "title": f.title, "summary": f.summary, "fingerprint": f.fingerprint,
            "severity": f.severity.rawValue, "status": f.status.rawValue, "score": String(format1(f.factors.score)),
            "entry": f.entry, "impact": f.impact, "location": loc(f.location), "gateFails": verdict.verdict == .fail,
            "pathCount": f.pathCount, "capped": f.pathCountCapped, "manyPaths": f.pathCount > 1, "otherEntries": f.otherEntries,
            "hasOtherEntries": f.otherEntries > 0, "entries": f.entries, "manyEntries": f.entries.count > 1 || f.otherEntries > 0,
            "cutsTogether": f.cutsTogether, "steps": steps, "hops": f.steps.count,
            "impactReason": f.factors.impactReason, "exposureReason": f.factors.exposureReason,
            "mitigatedBy": f.mitigatingControls.joined(separator: ", "), "hasMitigatedBy": !f.mitigatingControls.isEmpty,
            "reducedBy": f.reducingControls.joined(separator: ", "), "hasReducedBy": !f.reducingControls.isEmpty,
            "cuts": f.cuts.map { ["text": $0.text, "control": $0.kind.rawValue, "step": $0.stepIndex + 1, "onPath": $0.stepIndex >= 0] }, "hasCuts": !f.cuts.isEmpty,
            "frameworks": catalogs.map { c in ["catalog": fw.catalog(c)?.prefix ?? c, "items": byCatalog[c]!] },
            "search": text.lowercased(),
            "waived": verdict.waiver != nil, "waiver": verdict.waiver.map(waiverContext) ?? [:],
            "hasExpiredWaiver": verdict.expiredWaiver != nil, "expiredWaiver": verdict.expiredWaiver.map(waiverContext) ?? [:],
        ]
    }

    /// The path groups not shown in full, one table row each, in report order: severity and
    /// score, rule, status and marks, entry, impact, hops and summary. Each row has the anchor
    /// `p<index>` its detailed form would have, so links to any path land. Written here, not by
    /// the template, because it is the one part of the page that grows with the model: every
    /// model string goes through `ReportEscape.html`.
    static func pathTable(_ indices: [Int], _ paths: [Finding], _ marks: [PathMark]) -> String {
        var w = HTMLWriter(capacity: indices.count * 320)
        for i in indices {
            let v = marks[i]
            let sev = paths[i].severity.rawValue, st = paths[i].status.rawValue
            w.raw("<tr id=\"p"); w.raw(i); w.raw("\" class=\"prow\" data-status=\""); w.raw(st)
            w.raw(v.waiver != nil ? "\" data-waived=\"true\"><td data-sort=\"" : "\"><td data-sort=\""); w.raw(paths[i].severity.rank)
            w.raw("\"><span class=\"sev sev-"); w.raw(sev); w.raw("\">"); w.raw(sev); w.raw("</span></td><td class=\"num\">"); w.raw(format1(paths[i].factors.score))
            w.raw("</td><td>"); w.text(paths[i].rule); w.raw("</td><td data-sort=\""); w.raw(v.waiver != nil ? "waived" : st)
            w.raw("\"><span class=\"status status-"); w.raw(st); w.raw("\">"); w.raw(st); w.raw("</span>")
            if v.waiver != nil { w.raw(" <span class=\"chip chip-waived\">waived</span>") }
            if v.expiredWaiver != nil { w.raw(" <span class=\"chip chip-bad\">waiver expired</span>") }
            if v.verdict == .fail { w.raw(" <span class=\"chip chip-bad\">gate</span>") }
            w.raw("</td><td><code>"); w.text(paths[i].entry); w.raw("</code>")
            let more = paths[i].entries.count - 1 + paths[i].otherEntries
            if more > 0 { w.raw(" <span class=\"muted\">+"); w.raw(more); w.raw("</span>") }
            w.raw("</td><td><code>"); w.text(paths[i].impact)
            w.raw("</code></td><td class=\"num\">"); w.raw(paths[i].steps.count); w.raw("</td><td>"); w.text(paths[i].summary); w.raw("</td></tr>\n")
        }
        return w.string
    }

    /// "accepted by OWNER until DATE: justification (ITEM)", in parts for the template.
    static func waiverContext(_ w: Waiver) -> [String: Any] {
        ["fingerprint": w.fingerprint, "owner": w.owner, "expires": w.expires.description, "justification": w.justification, "framework": w.framework,
         "text": acceptance(w)]
    }

    /// `accepted by platform-security until 2026-12-31: shell.run only runs in a sandbox. (ASI02)`
    public static func acceptance(_ w: Waiver) -> String {
        "accepted by \(w.owner) until \(w.expires): \(w.justification) (\(w.framework))"
    }

    /// The banner: pass or fail, and why, from the gate's evaluation (expired waivers fail it).
    static func gateContext(_ g: GateResult, waivedPaths: Int) -> [String: Any] {
        let failing = g.count(.fail), expired = g.expiredWaivers.count
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var reasons: [String] = []
        if failing > 0 || g.passed {
            if let failOn = g.gate.failOn {
                reasons.append(failing == 0 ? "no open path at \(failOn.rawValue) or above" : "\(plural(failing, "open path")) at \(failOn.rawValue) or above")
            } else {
                reasons.append("the severity gate is off")
            }
        }
        if expired > 0 { reasons.append(plural(expired, "expired waiver")) }
        let waived = g.count(.waived)
        if waived > 0 { reasons.append("\(waived) waived") }
        return ["passed": g.passed, "failOn": g.gate.failOnText, "failing": failing, "failingPlural": failing != 1,
                "expired": expired, "waived": waived, "waivedPaths": waivedPaths, "detail": reasons.joined(separator: " · "),
                "hasWaivers": !g.waivers.isEmpty, "today": g.today.description,
                "expiredWaivers": g.expiredWaivers.map(waiverContext), "hasExpired": expired > 0]
    }

    /// One link per rule among the paths a cut closes: to the first such path, with a count.
    /// On a large model, when that path is not on the page (`position` ≥ `listed`), to the
    /// first of them in report order, or else to the rule summary.
    static func ruleLinks(_ indices: [Int], _ paths: [Finding], position: [Int]? = nil, listed: Int = .max) -> [[String: Any]] {
        var order: [String] = []
        var first: [String: Int] = [:], best: [String: Int] = [:], count: [String: Int] = [:]
        func pos(_ i: Int) -> Int { position?[i] ?? i }
        for i in indices {
            let rule = paths[i].rule
            if first[rule] == nil { order.append(rule); first[rule] = i }
            if best[rule].map({ pos(i) < pos($0) }) ?? true { best[rule] = i }
            count[rule, default: 0] += 1
        }
        func anchor(_ rule: String) -> String {
            if pos(first[rule]!) < listed { return "p\(first[rule]!)" }
            return pos(best[rule]!) < listed ? "p\(best[rule]!)" : "path-rules"
        }
        return order.map { ["anchor": anchor($0), "rule": $0, "count": count[$0]!, "many": count[$0]! > 1] }
    }

    /// Every path group counted by rule: by severity and status, and how many the page shows
    /// in full, as table rows, or only here. One pass.
    static func ruleSummary(_ paths: [Finding], position: [Int], detailed: Int, listed: Int, waived: [Bool]) -> [String: Any] {
        struct Row { var title = "", sev = [Int](repeating: 0, count: FindingSeverity.allCases.count), open = 0, reduced = 0, mitigated = 0, waived = 0,
                     total = 0, full = 0, table = 0 }
        var rows: [String: Row] = [:]
        for i in paths.indices {
            var r = rows[paths[i].rule] ?? Row(title: paths[i].title)
            r.sev[paths[i].severity.rank] += 1
            if waived[i] { r.waived += 1 } else {
                switch paths[i].status {
                case .open: r.open += 1
                case .reduced: r.reduced += 1
                case .mitigated: r.mitigated += 1
                }
            }
            r.total += 1
            if position[i] < detailed { r.full += 1 } else if position[i] < listed { r.table += 1 }
            rows[paths[i].rule] = r
        }
        let sevs = FindingSeverity.allCases.filter { s in s != .info || rows.values.contains { $0.sev[s.rank] > 0 } }
        return ["severities": sevs.map { ["severity": $0.rawValue] },
                "rows": rows.keys.sorted().map { rule -> [String: Any] in
                    let r = rows[rule]!
                    return ["rule": rule, "title": r.title, "cells": sevs.map { s in ["count": r.sev[s.rank], "zero": r.sev[s.rank] == 0, "severity": s.rawValue] },
                            "open": r.open, "reduced": r.reduced, "mitigated": r.mitigated, "waived": r.waived, "total": r.total,
                            "full": r.full, "table": r.table, "counted": r.total - r.full - r.table]
                }]
    }

    static func format1(_ d: Double) -> String {
        let tenths = Int((d * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    static func asiMatrix(_ paths: [Finding], _ fw: FrameworkSet) -> [String: Any] {
        let items = fw.catalog(asi)?.items ?? []
        let sev = FindingSeverity.allCases.filter { $0 != .info }
        // One pass over the paths: per item, paths not mitigated by severity, mitigated, total.
        var column: [String: Int] = [:]
        for (k, item) in items.enumerated() where column[item.id] == nil { column[item.id] = k }
        var open = [[Int]](repeating: [Int](repeating: 0, count: FindingSeverity.allCases.count), count: items.count)
        var mitigated = [Int](repeating: 0, count: items.count), total = [Int](repeating: 0, count: items.count)
        var seen: [Int] = []
        for i in paths.indices {
            seen.removeAll(keepingCapacity: true)
            for ref in paths[i].frameworks where ref.catalog == asi {
                guard let k = column[ref.id], !seen.contains(k) else { continue }
                seen.append(k)
                total[k] += 1
                if paths[i].status == .mitigated { mitigated[k] += 1 } else { open[k][paths[i].severity.rank] += 1 }
            }
        }
        let rows = items.enumerated().map { k, item -> [String: Any] in
            let ref = FrameworkRef(catalog: asi, id: item.id)
            let cells = sev.map { s -> [String: Any] in
                let n = open[k][s.rank]
                return ["count": n, "zero": n == 0, "severity": s.rawValue]
            }
            return ["id": item.id, "title": item.title, "cells": cells, "mitigated": mitigated[k], "total": total[k],
                    "none": total[k] == 0, "rules": fw.rules(mappingTo: ref).joined(separator: ", ")]
        }
        return ["present": !items.isEmpty, "severities": sev.map { ["severity": $0.rawValue] }, "rows": rows]
    }

    typealias LayerHits = [(id: String, title: String, techniques: [StepTechnique], hits: [Bool])]

    /// Each MAESTRO layer (in catalog order) with its step techniques and, per path, whether
    /// the path touches it: a step uses one of its techniques, or the rule maps to the layer or
    /// one of its threats (`LAYER:threat`). One pass over the paths.
    static func maestroHits(_ paths: [Finding], _ fw: FrameworkSet) -> LayerHits {
        guard let c = fw.catalog(maestro) else { return [] }
        let layers = c.items.filter { $0.kind == "layer" }
        var layerIndex: [String: [Int]] = [:]
        for (l, item) in layers.enumerated() { layerIndex[item.id, default: []].append(l) }
        let techniques = layers.map { item in
            StepTechnique.allCases.filter { fw.crosswalk.refs(step: $0.rawValue).contains(FrameworkRef(catalog: maestro, id: item.id)) }
        }
        var layersOfTechnique: [StepTechnique: [Int]] = [:]
        for (l, ts) in techniques.enumerated() { for t in ts { layersOfTechnique[t, default: []].append(l) } }
        var hits = [[Bool]](repeating: [Bool](repeating: false, count: paths.count), count: layers.count)
        for i in paths.indices {
            for step in paths[i].steps { for l in layersOfTechnique[step.technique] ?? [] { hits[l][i] = true } }
            for ref in paths[i].frameworks where ref.catalog == maestro {
                // The layer itself, or any prefix before a ':' (a threat of the layer).
                for l in layerIndex[ref.id] ?? [] { hits[l][i] = true }
                var j = ref.id.startIndex
                while let colon = ref.id[j...].firstIndex(of: ":") {
                    for l in layerIndex[String(ref.id[..<colon])] ?? [] { hits[l][i] = true }
                    j = ref.id.index(after: colon)
                }
            }
        }
        return layers.enumerated().map { l, item in (item.id, item.title, techniques[l], hits[l]) }
    }

    /// `compact`: the buttons name the layer only (the page's data has each layer's highlight),
    /// instead of listing every path index.
    static func maestroLayers(_ paths: [Finding], _ fw: FrameworkSet, compact: Bool = false, hits: LayerHits? = nil) -> [String: Any] {
        guard fw.catalog(maestro) != nil else { return ["present": false] }
        let rows = (hits ?? maestroHits(paths, fw)).map { layer -> [String: Any] in
            let id = layer.id, techniques = layer.techniques, prefix = id + ":"
            var hits = 0, open = 0
            var threats = Set<String>()
            for i in paths.indices where layer.hits[i] {
                hits += 1
                if paths[i].status != .mitigated { open += 1 }
                for ref in paths[i].frameworks where ref.catalog == maestro && ref.id.hasPrefix(prefix) { threats.insert(ref.id) }
            }
            return ["id": id, "title": layer.title, "paths": hits, "open": open, "blind": hits == 0,
                    "techniques": techniques.map(\.rawValue).joined(separator: ", "), "hasTechniques": !techniques.isEmpty,
                    "threats": threats.sorted().map { t in ["name": String(t.dropFirst(prefix.count))] }, "hasThreats": !threats.isEmpty,
                    "bar": paths.isEmpty ? 0 : max(hits == 0 ? 0 : 2, hits * 100 / paths.count),
                    "pathList": compact ? "" : paths.indices.filter { layer.hits[$0] }.map { String($0) }.joined(separator: " ")]
        }
        let blind = rows.filter { $0["blind"] as! Bool }.map { $0["id"] as! String }
        return ["present": true, "rows": rows, "blind": blind.joined(separator: ", "), "hasBlind": !blind.isEmpty, "blindCount": blind.count,
                "compact": compact]
    }

    static func nistCoverage(_ findings: [Finding], _ fw: FrameworkSet) -> [String: Any] {
        guard let c = fw.catalog(nist) else { return ["present": false] }
        var childrenOf: [String: [String]] = [:]
        for item in c.items { if let p = item.parent { childrenOf[p, default: []].append(item.id) } }
        func leaves(_ id: String) -> [String] {
            guard let kids = childrenOf[id], !kids.isEmpty else { return [id] }
            return kids.flatMap(leaves)
        }
        var detectedByRules = Set<String>()
        for rule in fw.crosswalk.rules.keys { for ref in fw.crosswalk.refs(rule: rule) where ref.catalog == nist { detectedByRules.insert(ref.id) } }
        var hitsByID: [String: Int] = [:]
        var seen = Set<String>()
        for i in findings.indices {
            seen.removeAll(keepingCapacity: true)
            for ref in findings[i].frameworks where ref.catalog == nist && seen.insert(ref.id).inserted { hitsByID[ref.id, default: 0] += 1 }
        }
        let functions = c.items.filter { $0.kind == "function" }.map { fn -> [String: Any] in
            let cats = (childrenOf[fn.id] ?? []).map { cid -> [String: Any] in
                let l = leaves(cid)
                let detected = l.filter { detectedByRules.contains($0) }
                let hits = l.reduce(0) { $0 + (hitsByID[$1] ?? 0) } + (hitsByID[cid] ?? 0)
                let cells = l.map { sub -> [String: Any] in
                    ["id": sub, "title": c.item(sub)?.title ?? "", "detected": detectedByRules.contains(sub), "hit": (hitsByID[sub] ?? 0) > 0, "hits": hitsByID[sub] ?? 0]
                }
                return ["id": cid, "title": c.item(cid)?.title ?? "", "total": l.count, "detected": detected.count, "findings": hits,
                        "hasFindings": hits > 0, "subcategories": cells]
            }
            let total = cats.reduce(0) { $0 + ($1["total"] as! Int) }
            let det = cats.reduce(0) { $0 + ($1["detected"] as! Int) }
            let hits = cats.reduce(0) { $0 + ($1["findings"] as! Int) }
            return ["id": fn.id, "title": fn.description, "categories": cats, "total": total, "detected": det, "findings": hits]
        }
        return ["present": true, "functions": functions]
    }

    static func inventory(_ vm: ValidatedModel, _ loc: (SourceLocation) -> String, rows limit: Int = .max) -> [String: Any] {
        let m = vm.model
        func ids(_ refs: [Ref]) -> String { refs.map(\.id).joined(separator: ", ") }
        func risky(_ c: Credential) -> Bool { c.ttl == .never || c.storage == nil || c.storage == .hardcoded || c.storage == .inline || c.storage == .env }
        // Rows written here, not by the template: these tables grow with the model. Above the
        // limit, the risky credentials come first, so the ones to fix are listed.
        let agents = m.agents.prefix(limit), tools = m.tools.prefix(limit), servers = m.mcpServers.prefix(limit)
        let creds = (m.credentials.count > limit ? m.credentials.filter(risky) + m.credentials.filter { !risky($0) } : m.credentials).prefix(limit)
        var w = HTMLWriter(capacity: agents.count * 400)
        for a in agents {
            w.raw("<tr><td><code>"); w.text(a.id); w.raw("</code><br><span class=\"small muted\">"); w.text(a.info.name ?? "")
            w.raw("</span></td><td>"); w.text(a.zone?.id ?? ""); w.raw("</td><td><span class=\"chip chip-"); w.text(a.autonomy.rawValue); w.raw("\">")
            w.text(a.autonomy.rawValue); w.raw("</span></td><td>"); w.text(a.model ?? ""); w.raw("</td><td class=\"small\">")
            w.text(a.identity.map { $0.kind.rawValue + ($0.id.map { ": " + $0 } ?? "") } ?? ""); w.raw("</td><td class=\"num\">"); w.raw(a.tools.count)
            w.raw("</td><td class=\"small\">"); w.text(ids(a.credentials)); w.raw("</td><td class=\"small\">"); w.text(a.delegates.map(\.to.id).joined(separator: ", "))
            w.raw("</td><td>"); w.text(a.info.owner ?? ""); w.raw("</td></tr>\n    ")
        }
        let agentRows = w.string
        w = HTMLWriter(capacity: tools.count * 300)
        for t in tools {
            w.raw("<tr><td><code>"); w.text(t.id); w.raw("</code></td><td>"); w.text(t.server?.id ?? ""); w.raw("</td><td>")
            w.text(t.effects.map(\.rawValue).joined(separator: ", ")); w.raw("</td><td>"); w.text(t.egress.rawValue); w.raw("</td><td class=\"small\">")
            w.text(ids(t.reads)); w.raw("</td><td class=\"small\">"); w.text(ids(t.writes)); w.raw("</td><td>"); w.text(t.credential?.id ?? ""); w.raw("</td></tr>\n    ")
        }
        let toolRows = w.string
        w = HTMLWriter(capacity: creds.count * 300)
        for c in creds {
            w.raw(risky(c) ? "<tr class=\"risky\"><td><code>" : "<tr><td><code>"); w.text(c.id); w.raw("</code></td><td>"); w.text(c.kind?.rawValue ?? "")
            w.raw("</td><td data-sort=\""); w.text(c.ttl.seconds.map { String($0) } ?? "999999999999"); w.raw("\">"); w.text(c.ttl.description)
            w.raw("</td><td>"); w.text(c.storage?.rawValue ?? "not stated"); w.raw("</td><td>"); w.text(c.issued.rawValue); w.raw("</td><td>"); w.text(c.binding.rawValue)
            w.raw("</td><td>"); w.text(c.revocation.rawValue); w.raw("</td><td class=\"small\">"); w.text(c.scopes.joined(separator: ", "))
            w.raw("</td><td class=\"small\">"); w.text(ids(c.grants)); w.raw("</td></tr>\n    ")
        }
        let credentialRows = w.string
        w = HTMLWriter(capacity: servers.count * 300)
        for s in servers {
            w.raw("<tr><td><code>"); w.text(s.id); w.raw("</code></td><td class=\"small\"><code>"); w.text(s.source ?? ""); w.raw("</code></td><td>"); w.text(s.version ?? "")
            w.raw(s.pinned ? "</td><td><span class=\"chip chip-ok\">pinned</span></td><td>" : "</td><td><span class=\"chip chip-bad\">unpinned</span></td><td>")
            w.text(s.publisher.rawValue); w.raw("</td><td>"); w.text(s.runs?.rawValue ?? ""); w.raw("</td><td>"); w.text(s.transport?.rawValue ?? "")
            w.raw("</td><td>"); w.text(s.zone?.id ?? ""); w.raw("</td></tr>\n    ")
        }
        let serverRows = w.string
        func cap(_ shown: Int, _ total: Int, _ what: String) -> [String: Any] {
            ["capped": shown < total, "shown": shown, "total": total, "left": total - shown, "what": what]
        }
        return ["agentRows": agentRows, "toolRows": toolRows, "credentialRows": credentialRows, "serverRows": serverRows,
                "agentCount": m.agents.count, "toolCount": m.tools.count, "credentialCount": m.credentials.count, "serverCount": m.mcpServers.count,
                "agentCap": cap(agents.count, m.agents.count, "in model order"), "toolCap": cap(tools.count, m.tools.count, "in model order"),
                "credentialCap": cap(creds.count, m.credentials.count, "the risky ones first, then in model order"),
                "serverCap": cap(servers.count, m.mcpServers.count, "in model order"),
                "hasAgents": !agents.isEmpty, "hasTools": !tools.isEmpty, "hasCredentials": !creds.isEmpty, "hasServers": !servers.isEmpty]
    }
}
