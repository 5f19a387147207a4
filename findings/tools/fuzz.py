import random, subprocess, sys, os, json, hashlib
R='/work/wt/redteam3/target/release/receipt'
D='/tmp/rt3/b30'
base=open(D+'/rows.jsonl','rb').read()
lines=base.split(b'\n')[:-1]
THREADS=[1,2,3,4,5,7,16,64]
def cuts(size,n):
    return [size*k//n for k in range(1,n)]
def run(rows, rec=D+'/rows-receipts.jsonl', threads=THREADS, extra=[]):
    p='/tmp/rt3/fz/rows-%d.jsonl'%os.getpid()
    open(p,'wb').write(rows)
    outs={}
    for t in threads:
        r=subprocess.run([R,'verify','--key',D+'/jwks.json','--rows',p,'--threads',str(t),'--json',rec]+extra,capture_output=True)
        outs[t]=(r.returncode,r.stdout,r.stderr)
    return outs
def differs(outs):
    vals=list(outs.values())
    return any(v!=vals[0] for v in vals)
def near_cut(size):
    n=random.choice(THREADS[1:]); k=random.randrange(1,n)
    return size*k//n + random.randint(-300,300)
def mutate(data):
    ls=data.split(b'\n')
    # locate line index near a cut
    size=len(data)
    off=near_cut(size)
    # line index containing off
    acc=0; idx=0
    for i,l in enumerate(ls):
        if acc+len(l)+1>off: idx=i;break
        acc+=len(l)+1
    m=random.choice(['crlf_all','crlf_one','bom_line','blank','longline','delete','dup','swap','nofinal','ws','edit','cr_only','nul','formfeed','empty_lines_many','insert_obj','insert_array','trunc_mid'])
    if m=='crlf_all': ls=[l+b'\r' if l else l for l in ls]
    elif m=='crlf_one': ls[idx]=ls[idx]+b'\r'
    elif m=='bom_line': ls[idx]=b'\xef\xbb\xbf'+ls[idx]
    elif m=='blank': ls.insert(idx,random.choice([b'',b' ',b'\r',b'\t \r']))
    elif m=='longline': ls.insert(idx,b'{"x":"'+b'a'*random.choice([(1<<20)-8,(1<<20)-7,(1<<20)-9,(1<<20)+5])+b'"}')
    elif m=='delete': del ls[idx]
    elif m=='dup': ls.insert(idx,ls[idx])
    elif m=='swap' and idx+1<len(ls): ls[idx],ls[idx+1]=ls[idx+1],ls[idx]
    elif m=='nofinal':
        while ls and ls[-1]==b'': ls.pop()
        return b'\n'.join(ls),m
    elif m=='ws': ls[idx]=b'  '+ls[idx]+b'  '
    elif m=='edit': ls[idx]=ls[idx].replace(b'T00:',b'T01:',1)
    elif m=='cr_only': ls[idx]=ls[idx]+b'\r'+ls[idx+1] if idx+1<len(ls) else ls[idx]
    elif m=='nul': ls[idx]=ls[idx]+b'\x00'
    elif m=='formfeed': ls.insert(idx,b'\x0c')
    elif m=='empty_lines_many':
        for _ in range(random.randint(1,2000)): ls.insert(idx,b'')
    elif m=='insert_obj': ls.insert(idx,b'{')
    elif m=='insert_array': ls.insert(idx,b'[')
    elif m=='trunc_mid': ls[idx]=ls[idx][:len(ls[idx])//2]
    return b'\n'.join(ls),m
if __name__!='__main__': N=0
random.seed(int(sys.argv[1]) if len(sys.argv)>1 else 1)
N=(int(sys.argv[2]) if len(sys.argv)>2 else 50) if __name__=='__main__' else 0
for it in range(N):
    data=base
    ms=[]
    for _ in range(random.randint(1,3)):
        data,m=mutate(data); ms.append(m)
    if len(data)<(8<<20): continue
    outs=run(data)
    if differs(outs):
        h=hashlib.sha1(data).hexdigest()[:8]
        open('/tmp/rt3/fz/diff-%s.jsonl'%h,'wb').write(data)
        print('DIFF',it,ms,h,{t:(o[0],len(o[1])) for t,o in outs.items()},flush=True)
    else:
        print('ok',it,ms,outs[1][0],flush=True)
