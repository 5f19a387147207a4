import json, hashlib, base64, subprocess, sys
from cryptography.hazmat.primitives.asymmetric import rsa, ec, padding, utils
from cryptography.hazmat.primitives import hashes, serialization
R='/work/wt/redteam3/target/release/receipt'
tmpl=json.loads(open('/tmp/rt3/demo/receipts.jsonl').readline())
def b64u(b): return base64.urlsafe_b64encode(b).rstrip(b'=').decode()
def ib(i,l=None):
    l=l or (i.bit_length()+7)//8
    return i.to_bytes(l,'big')
def jcs(o): return json.dumps(o,sort_keys=True,separators=(',',':'),ensure_ascii=False).encode()
def receipt(alg, signer, kid='test/k1', extra={}):
    r=dict(tmpl); r['alg']=alg; r['kid']=kid; r.update(extra)
    r.pop('thisHash'); r.pop('signature')
    m=jcs(r)
    r['thisHash']='0x'+hashlib.sha256(m).hexdigest()
    sig=signer(m)
    r['signature']=base64.b64encode(sig).decode()
    return r
def jwk_rsa(n,e,kid='test/k1',alg=None):
    k={'kty':'RSA','n':b64u(ib(n)),'e':b64u(ib(e)),'kid':kid,'receiptRoles':['batch'],'validFrom':'2026-01-01T00:00:00Z','validUntil':'2026-12-31T23:59:59Z'}
    if alg: k['alg']=alg
    return k
def jwk_ec(pub,kid='test/k1'):
    nums=pub.public_numbers()
    return {'kty':'EC','crv':'P-256','x':b64u(ib(nums.x,32)),'y':b64u(ib(nums.y,32)),'kid':kid,'receiptRoles':['batch'],'validFrom':'2026-01-01T00:00:00Z','validUntil':'2026-12-31T23:59:59Z'}
def run(name, rec, keys):
    d='/tmp/rt3/keys/'+name
    import os; os.makedirs(d,exist_ok=True)
    open(d+'/r.json','w').write(json.dumps(rec))
    open(d+'/k.json','w').write(json.dumps({'keys':keys}))
    res={}
    for b in ['native','rustcrypto']:
        p=subprocess.run([R,'verify','--key',d+'/k.json','--json','--backend',b,d+'/r.json'],capture_output=True,text=True)
        out=p.stdout
        try:
            j=json.loads(out); j.pop('backend',None); out=json.dumps(j,sort_keys=True)
            fails=[(c['id'],c['message'][:150]) for c in j['checks'] if c['status']=='fail']
        except Exception: fails=p.stderr.strip()[:200]
        res[b]=(p.returncode,out,fails)
    same=res['native'][:2]==res['rustcrypto'][:2]
    print(('SAME ' if same else 'DIFF ')+name, {b:(v[0],v[2]) for b,v in res.items()})
    return res
