import sys; sys.path.insert(0,'/tmp/rt3')
from fuzz import *
import json
def show(name,data,rec=D+'/rows-receipts.jsonl'):
    outs=run(data,rec)
    d=differs(outs)
    o=outs[1]
    try: j=json.loads(o[1]); s=(j['verdict'],j['summary'])
    except Exception: s=o[2][:100]
    print(('DIFF ' if d else 'same ')+name, o[0], s, flush=True)
    if d:
        open('/tmp/rt3/fz/t2-%s.jsonl'%name,'wb').write(data)
        for t,v in outs.items(): print('  ',t,v[0],len(v[1]),v[2][:100])
# receipts as rows
subprocess.run([R,'demo','--out','/tmp/rt3/rc','--receipts','12000'],capture_output=True)
recs=open('/tmp/rt3/rc/receipts.jsonl','rb').read()
show('receipts_as_rows',recs)
# json array pretty
arr=b'[\n'+b',\n'.join(b'  '+l for l in lines)+b'\n]\n'
show('json_array_pretty',arr)
arr1=b'['+b','.join(lines)+b']'
show('json_array_oneline',arr1)
# one json doc pretty (rows as members)
doc=b'{\n'+b',\n'.join(b'  "r%d": %s'%(i,l) for i,l in enumerate(lines))+b'\n}\n'
show('json_doc',doc)
# big receipts array pretty as rows
rl=recs.split(b'\n')[:-1]
show('receipts_array_pretty',b'[\n'+b',\n'.join(rl)+b'\n]\n')
# too long line exactly at cut for 2 threads
for delta in [-1,0,1]:
    for L in [(1<<20)-1,(1<<20),(1<<20)+1]:
        half=len(base)//2
        # find line start near half
        i=base.rfind(b'\n',0,half)+1
        long=b'{"x":"'+b'a'*(L-8)+b'"}'
        data=base[:i+delta]+long+b'\n'+base[i+delta:] if delta==0 else base[:i]+long+b'\n'+base[i:]
        show(f'long{L}_{delta}',data)
# crlf everything + BOM first
show('bom_crlf',b'\xef\xbb\xbf'+base.replace(b'\n',b'\r\n'))
show('bom_only_first_line',b'\xef\xbb\xbf\n'+base)
show('blank_first',b'\n\n'+base)
show('bom_blank_then',b'\xef\xbb\xbf  \n'+base)
show('no_final_newline',base.rstrip(b'\n'))
# rows after last head only (drop first half)
ls=lines
show('second_half_only',b'\n'.join(ls[len(ls)//2:])+b'\n')
show('first_half_dup',b'\n'.join(ls+ls[:len(ls)//2])+b'\n')
show('reversed',b'\n'.join(ls[::-1])+b'\n')
