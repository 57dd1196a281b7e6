import Foundation
@testable import AgentPath

/// Fixtures for the CI gate's codes (E0601-E0607, W0601-W0602). They come from `check` and
/// `diff`, not from loading a model, so each names a runner; `CodeTable` merges them in.
/// Waivers are judged as of 2026-07-01.
enum GateCodes {
    static let today = CalendarDate.parse("2026-07-01")!
    static let model = "codes/gate-model.yaml"

    /// `check` on a model with a waivers file or a baseline, as the diagnostics it reported.
    static func check(model: String = model, waivers: String? = nil, baseline: String? = nil) -> LoadOutcome {
        var o = CheckOptions(model: Fixtures.path(model), today: today)
        o.noConfig = true
        o.waivers = waivers.map(Fixtures.path)
        o.baseline = baseline.map(Fixtures.path)
        return outcome(CheckRun.run(o, frameworks: FrameworkFixtures.builtin.set), model: model)
    }

    static func diff(baseRef: String) -> LoadOutcome {
        let out = DiffRun.run(DiffOptions(base: nil, head: Fixtures.path(model), baseRef: baseRef), frameworks: FrameworkFixtures.builtin.set)
        return outcome(out, model: model)
    }

    /// With an error the run is not a valid model's (as the code table expects); with warnings
    /// only, the model loads.
    static func outcome(_ out: CheckOutcome, model: String) -> LoadOutcome {
        let valid = !out.diagnostics.contains { $0.severity == .error }
        return LoadOutcome(model: valid ? load(Fixtures.path(model)).model : nil, reported: out.diagnostics)
    }

    static let fixtures: [DiagnosticCode: CodeFixture] = [
        .badDate: CodeFixture(
            fixture: "codes/e0601-bad-date.waivers.yaml", line: 7, column: 14,
            message: .exact("invalid date '2026-02-30' for 'expires' in waiver 1; write YYYY-MM-DD, a real day (2026-12-31)"),
            runner: { check(waivers: "codes/e0601-bad-date.waivers.yaml") }),
        .waiverExpired: CodeFixture(
            fixture: "codes/e0602-waiver-expired.waivers.yaml", line: 7, column: 14,
            message: .exact("the waiver for 5afdeb2d6f99a235 (owner platform-security, ASI02) expired on 2026-06-30, 1 day ago; renew it with a new date after review, or fix the finding"),
            runner: { check(waivers: "codes/e0602-waiver-expired.waivers.yaml") }),
        .duplicateWaiver: CodeFixture(
            fixture: "codes/e0603-duplicate-waiver.waivers.yaml", line: 8, column: 18,
            message: .exact("a second waiver for 5afdeb2d6f99a235; the first is at line 3; keep one"),
            runner: { check(waivers: "codes/e0603-duplicate-waiver.waivers.yaml") }),
        .badFingerprint: CodeFixture(
            fixture: "codes/e0604-bad-fingerprint.waivers.yaml", line: 3, column: 18,
            message: .exact("'3E0D29AD' in waiver 1 is not a fingerprint; a fingerprint is 16 lower-case hex digits, as printed by `agentpath check`"),
            runner: { check(waivers: "codes/e0604-bad-fingerprint.waivers.yaml") }),
        .unknownWaiverFramework: CodeFixture(
            fixture: "codes/e0605-unknown-framework.waivers.yaml", line: 6, column: 16,
            message: .exact("'ASI99' in waiver 1 is not an item of any loaded catalog; did you mean 'ASI09'?"),
            runner: { check(waivers: "codes/e0605-unknown-framework.waivers.yaml") }),
        .badBaseline: CodeFixture(
            fixture: "codes/e0606-bad-baseline.json", line: 0, column: 0,
            message: .exact("not a findings JSON (format 'agentpath-findings'); write one with `agentpath analyze MODEL --format json` or `agentpath build`"),
            runner: { check(baseline: "codes/e0606-bad-baseline.json") }),
        .gitRevision: CodeFixture(
            // Reads the repository this checkout is.
            fixture: model, line: 0, column: 0,
            message: .exact("'no-such-revision' is not a git revision here"),
            runner: { diff(baseRef: "no-such-revision") }),
        .unmatchedWaiver: CodeFixture(
            fixture: "codes/w0601-unmatched-waiver.yaml", file: "codes/w0601-unmatched-waiver.waivers.yaml", line: 3, column: 18,
            message: .exact("the waiver for 0123456789abcdef (owner docs-team) matches no finding; remove it, or correct the fingerprint"),
            runner: { check(model: "codes/w0601-unmatched-waiver.yaml", waivers: "codes/w0601-unmatched-waiver.waivers.yaml") }),
        .waiverMismatch: CodeFixture(
            fixture: "codes/w0602-waiver-mismatch.yaml", file: "codes/w0602-waiver-mismatch.waivers.yaml", line: 6, column: 16,
            message: .exact("the waiver for 5afdeb2d6f99a235 names LLM10:2025, which the finding does not map to; it maps to ASI01, ASI02, ASI05, T6, T2, T11, …"),
            runner: { check(model: "codes/w0602-waiver-mismatch.yaml", waivers: "codes/w0602-waiver-mismatch.waivers.yaml") }),
    ]
}

extension LoadOutcome {
    /// Diagnostics a command reported, with the model when it is valid.
    init(model: ValidatedModel?, reported: [Diagnostic]) {
        self.model = model
        collector = DiagnosticCollector()
        diagnostics = reported
    }
}
