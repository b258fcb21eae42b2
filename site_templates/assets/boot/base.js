/* Material for MkDocs' inline head script (partials/javascripts/base.html), served as a
 * file so that it is not repeated on every page. This file is assets/boot/base.js: the
 * site root, base_url in the original, is two folders up from it. */
__md_scope=new URL("../../",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
