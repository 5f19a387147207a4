import sys; sys.path.insert(0,'/tmp/rt3')
from mk import *
for bits in [2048,2049,2050,2055,2056,2057,3071,3073,4095,4096]:
  for e in [65537,3]:
    k=rsa.generate_private_key(e,bits)
    n=k.public_key().public_numbers().n
    rs=lambda m:k.sign(m,padding.PKCS1v15(),hashes.SHA256())
    run(f'rs{bits}e{e}',receipt('RS256',rs),[jwk_rsa(n,e)])
    for salt in [32,0,20,64,padding.PSS.MAX_LENGTH]:
        ps=lambda m:k.sign(m,padding.PSS(mgf=padding.MGF1(hashes.SHA256()),salt_length=salt),hashes.SHA256())
        run(f'ps{bits}e{e}s{salt}',receipt('PS256',ps),[jwk_rsa(n,e)])
