import sys; sys.path.insert(0,'/tmp/rt3')
from mk import *
N=0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
k=ec.generate_private_key(ec.SECP256R1())
pub=k.public_key()
def der(m): return k.sign(m,ec.ECDSA(hashes.SHA256()))
def raw(m):
    r,s=utils.decode_dss_signature(der(m)); return ib(r,32)+ib(s,32)
def highs(m):
    r,s=utils.decode_dss_signature(der(m)); s=N-s if s<N//2 else s; return ib(r,32)+ib(s,32)
def lows(m):
    r,s=utils.decode_dss_signature(der(m)); s=N-s if s>N//2 else s; return ib(r,32)+ib(s,32)
def highs_der(m):
    r,s=utils.decode_dss_signature(der(m)); s=N-s if s<N//2 else s; return utils.encode_dss_signature(r,s)
def der_padded(m):
    # non-minimal DER: r with an extra leading zero
    r,s=utils.decode_dss_signature(der(m))
    rb=b'\x00\x00'+ib(r,32); sb=b'\x00'+ib(s,32)
    body=b'\x02'+bytes([len(rb)])+rb+b'\x02'+bytes([len(sb)])+sb
    return b'\x30'+bytes([len(body)])+body
def der_trailing(m): return der(m)+b'\x00'
def der_ber_len(m):
    d=der(m); return b'\x30\x81'+bytes([d[1]])+d[2:]
def raw_r_plus_n(m):
    r,s=utils.decode_dss_signature(der(m)); return ib(r+N,33)[-32:]+ib(s,32) if r+N<2**256 else raw(m)
for name,f in [('der',der),('raw',raw),('highs',highs),('lows',lows),('highs_der',highs_der),('der_padded',der_padded),('der_trailing',der_trailing),('der_ber_len',der_ber_len),('r_plus_n',raw_r_plus_n)]:
    run('ec_'+name,receipt('ES256',f),[jwk_ec(pub)])
# compressed point SPKI as PEM without kid
pem=pub.public_bytes(serialization.Encoding.PEM,serialization.PublicFormat.CompressedPoint) if False else None
import os
d='/tmp/rt3/keys/ec_compressed'; os.makedirs(d,exist_ok=True)
spki=pub.public_bytes(serialization.Encoding.DER,serialization.PublicFormat.SubjectPublicKeyInfo)
comp=pub.public_bytes(serialization.Encoding.X962,serialization.PublicFormat.CompressedPoint)
# build SPKI with compressed point: header for P-256 SPKI with 33-byte point
alg=bytes.fromhex('301306072a8648ce3d020106082a8648ce3d030107')
bitstr=b'\x03'+bytes([len(comp)+1])+b'\x00'+comp
body=alg+bitstr
cspki=b'\x30'+bytes([len(body)])+body
open(d+'/k.pem','w').write('-----BEGIN PUBLIC KEY-----\n'+base64.b64encode(cspki).decode()+'\n-----END PUBLIC KEY-----\n')
rec=receipt('ES256',der)
open(d+'/r.json','w').write(json.dumps(rec))
for b in ['native','rustcrypto']:
    p=subprocess.run([R,'verify','--key',d+'/k.pem','--json','--backend',b,d+'/r.json'],capture_output=True,text=True)
    j=json.loads(p.stdout) if p.stdout else {}
    print('compressed',b,p.returncode,[ (c['id'],c['message'][:100]) for c in j.get('checks',[]) if c['status']=='fail'], p.stderr[:200])
