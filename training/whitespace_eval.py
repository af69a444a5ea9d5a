"""Robustness to whitespace tokens: evaluate on the eval split with whitespace tokens ("  ", "\n",
"\n\n", six spaces) inserted before 5% of the tokens (seed 1); scores over the original tokens.

Usage: python training/whitespace_eval.py MODEL_DIR   (after training/prepare.py has written training/corpus/)
"""
import sys, random, collections, spacy
sys.path.insert(0,'training')
from evaluate import load_docs
from spacy.tokens import Doc
nlp=spacy.load(sys.argv[1])
gold=load_docs(nlp,'training/corpus/eval.spacy')
rng=random.Random(1)
c=collections.Counter()
for rate in (0.0, 0.05):
    c=collections.Counter()
    inputs=[]; maps=[]
    for g in gold:
        words=[];spaces=[];m=[]
        for t in g:
            if rate and rng.random()<rate:
                words.append(rng.choice(["  ","\n","\n\n","      "])); spaces.append(False); m.append(None)
            m.append(len(words)); words.append(t.text); spaces.append(True)
        inputs.append(Doc(nlp.vocab,words=words,spaces=spaces)); maps.append([x for x in m if x is not None])
    for g,p,m in zip(gold,nlp.pipe(inputs),maps):
        for gt in g:
            pt=p[m[gt.i]]
            c['n']+=1; c['pos']+=gt.pos_==pt.pos_; c['lem']+=gt.lemma_==pt.lemma_
            if gt.pos_!='PUNCT':
                c['np']+=1; c['las']+= (m[gt.head.i]==pt.head.i and gt.dep_==pt.dep_)
        for s in g.sents:
            gp=any(t.dep_=='aux:pass' for t in s); pp=any(p[m[i]].dep_=='aux:pass' for i in range(s.start,s.end))
            c['tp']+=gp and pp; c['fp']+=(not gp) and pp; c['fn']+=gp and not pp
    f=2*c['tp']/(2*c['tp']+c['fp']+c['fn'])
    print(f"whitespace rate {rate}: UPOS {c['pos']/c['n']:.4f} lemma {c['lem']/c['n']:.4f} LAS(nopunct) {c['las']/c['np']:.4f} auxpass-F1 {f:.3f}")
