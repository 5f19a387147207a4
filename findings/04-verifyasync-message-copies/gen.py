# Writes keys.json (256 P-256 approver keys, JWKS) and approval.json: one wave approval whose
# wave carries PAD_MB members of ~1 MB each, with one entry by alice whose signature is wrong.
import json, base64, sys
from cryptography.hazmat.primitives.asymmetric import ec
PAD_MB = int(sys.argv[1]) if len(sys.argv) > 1 else 8
NKEYS = int(sys.argv[2]) if len(sys.argv) > 2 else 256
def b64u(b): return base64.urlsafe_b64encode(b).rstrip(b'=').decode()
keys = []
for i in range(NKEYS):
    n = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()
    name = 'alice' if i == 0 else 'approver%d' % i
    keys.append({'kty': 'EC', 'crv': 'P-256', 'x': b64u(n.x.to_bytes(32, 'big')), 'y': b64u(n.y.to_bytes(32, 'big')),
                 'kid': 'approvers/%s/1' % name, 'approver': name, 'receiptRoles': ['approval'], 'alg': 'ES256',
                 'validFrom': '2026-01-01T00:00:00Z', 'validUntil': '2026-12-31T23:59:59Z'})
json.dump({'keys': keys}, open('keys.json', 'w'))
approval = {'type': 'wave-approval', 'customerId': 'cust-0042', 'waveId': 'wave-9', 'deviceCount': 10,
            'requestedBy': 'carol', 'consumedAt': '2026-03-02T09:02:30Z',
            'manifestHash': '0x' + '11' * 32,
            'approvals': [{'approver': 'alice', 'kid': 'approvers/alice/1', 'signedAt': '2026-03-01T16:15:00Z',
                           'signature': b64u(b'\x01' * 64)}]}
for i in range(PAD_MB):
    approval['note%d' % i] = 'x' * 1_000_000
json.dump(approval, open('approval.json', 'w'))
