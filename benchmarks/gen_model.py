#!/usr/bin/env python3
"""Deterministic synthetic agentpath model: N agents in delegation trees with shared MCP
servers, credentials, untrusted inputs, shared memory and controls on a fraction of edges.
Usage: gen_model.py AGENTS [SEED] > model.yaml"""
import random
import sys

def main():
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = ["version: 1", "system: { name: Synthetic %d, owner: bench }" % n,
           "zones:", "  - { id: corp, trust: trusted }", "  - { id: internet, trust: untrusted }"]
    servers = max(2, n // 20)
    creds = max(2, n // 10)
    data = max(4, n // 2)
    tools = max(4, n * 2)
    out.append("data:")
    for i in range(data):
        untrusted = i % 7 == 0
        sens = ["public", "internal", "confidential", "restricted"][i % 4]
        aud = "public" if i % 11 == 0 else "internal"
        kind = "vector_store" if i % 13 == 0 else "documents"
        out.append(f"  - {{ id: d{i}, kind: {kind}, sensitivity: {sens}, audience: {aud}, trust: {'untrusted' if untrusted else 'trusted'} }}")
    out.append("mcp_servers:")
    for i in range(servers):
        out.append(f"  - {{ id: s{i}, source: 'npm:srv{i}', pinned: {'true' if i % 3 else 'false'}, publisher: {'vendor' if i % 2 else 'community'}, runs: local }}")
    out.append("credentials:")
    for i in range(creds):
        grants = ", ".join(f"d{rng.randrange(data)}" for _ in range(3))
        out.append(f"  - {{ id: c{i}, kind: api_key, grants: [{grants}], ttl: {'never' if i % 2 else '15m'}, storage: {'env' if i % 2 else 'broker'}, issued: {'static' if i % 2 else 'jit'} }}")
    out.append("tools:")
    effects = [["read"], ["read"], ["write"], ["read", "egress"], ["delete"], ["execute"], ["payment"]]
    for i in range(tools):
        e = effects[i % len(effects)]
        line = f"  - {{ id: t{i}, server: s{i % servers}, effects: [{', '.join(e)}]"
        if "read" in e:
            line += f", reads: [d{rng.randrange(data)}]"
        if "write" in e or "delete" in e:
            line += f", writes: [d{rng.randrange(data)}]"
        if "egress" in e:
            line += ", egress: any"
        out.append(line + f", credential: c{i % creds} }}")
    out.append("agents:")
    for i in range(n):
        ts = ", ".join(f"t{rng.randrange(tools)}" for _ in range(4))
        out.append(f"  - id: a{i}")
        out.append(f"    owner: team{i % 10}")
        out.append(f"    autonomy: {['autonomous', 'approval', 'supervised'][i % 3]}")
        out.append(f"    tools: [{ts}]")
        out.append(f"    credentials: [c{i % creds}]")
        if i % 5 == 0:
            out.append(f"    memory: [{{ id: d{(i // 5 * 13) % data - ((i // 5 * 13) % data) % 13}, access: read_write }}]")
        kids = [k for k in (2 * i + 1, 2 * i + 2) if k < n and i % 4 != 3]
        if kids:
            out.append("    delegates:")
            for k in kids:
                out.append(f"      - {{ to: a{k}, passes: [c{i % creds}], context: {['full', 'summary'][k % 2]} }}")
    out.append("controls:")
    for i in range(0, n, 4):
        kind = ["human_approval", "egress_allowlist", "quarantine", "audit_logging"][(i // 4) % 4]
        out.append(f"  - {{ id: k{i}, kind: {kind}, applies_to: [a{i}] }}")
    print("\n".join(out))

main()
