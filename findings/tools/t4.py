import sys, json, random; sys.path.insert(0,'/tmp/rt3')
from fuzz import *
recs=[json.loads(l) for l in open(D+'/rows-receipts.jsonl')]
def write(rs):
    p='/tmp/rt3/fz/rec-%d.jsonl'%os.getpid()
    open(p,'w').write('\n'.join(json.dumps(r) for r in rs)+'\n'); return p
random.seed(5)
cases={'reversed':recs[::-1],'dup_each':[r for r in recs for _ in (0,1)],'dup_first_last':recs+[recs[0]],
       'shuffled':random.sample(recs,len(recs)),'interleaved_dup':recs[:10]+recs[5:15]+recs[15:]}
for name,rs in cases.items():
    p=write(rs)
    for rows_name,data in [('base',base),('rev_rows',b'\n'.join(lines[::-1])+b'\n'),('dup_half',b'\n'.join(lines+lines[:15000])+b'\n')]:
        outs=run(data,p)
        o=outs[1]; j=json.loads(o[1])
        print('DIFF' if differs(outs) else 'same', name, rows_name, o[0], j['summary'], flush=True)
