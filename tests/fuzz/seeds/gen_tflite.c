/*
** gen_tflite.c — writes the small .tflite files under tests/fuzz/seeds/tflite/
** and tests/golden/ml/ with the project's own writer (ml_tflite_write).
** Not part of the build; regenerate (from the repo root) with
**   cc -std=c11 -I. tests/fuzz/seeds/gen_tflite.c build/libtinycep.a -lm -o /tmp/gen_tflite
**   /tmp/gen_tflite
** then review the changed inspect golden files (tests/golden/ml/NAME.inspect).
*/
#include <stdio.h>
#include <stdlib.h>
#include "ml/import/import.h"
static void save(ml_tflite_builder*b,const char*p){uint8_t*buf;size_t n; if(!ml_tflite_write(b,1,&buf,&n))exit(1); FILE*f=fopen(p,"wb");fwrite(buf,1,n,f);fclose(f);free(buf);ml_tflite_builder_free(b);}
static void seeds(void){
 int32_t si[4]={1,4,4,2}, sw[4]={3,3,3,2}, sdw[4]={1,3,3,4}, sb3[1]={3}, sb4[1]={4}, so[4]={1,2,2,3}, sdo[4]={1,4,4,4}, sp[4]={1,2,2,4}, sf[2]={1,16}, sfw[2]={5,16}, sfo[2]={1,5}, sfb[1]={5};
 float s1=0.5f, s2=0.25f, ws[4]={0.01f,0.02f,0.03f,0.04f}, sm=1.0f/256; int64_t z=0, zi=3, zs=-128, wz[4]={0};
 int8_t w[54], wd[36], fw[80]; int32_t b[5]={1,-2,3,-4,5};
 for(int i=0;i<80;i++){ if(i<54)w[i]=(int8_t)(i*7%19-9); if(i<36)wd[i]=(int8_t)(i*5%13-6); fw[i]=(int8_t)(i*3%17-8);}
 ml_gopts o;
 /* conv + depthwise + pool + reshape + fc + softmax */
 ml_tflite_builder*B=ml_tflite_builder_new();
 int x=ml_tflite_add_tensor(B,"x",9,4,si,1,&s1,&zi,0,NULL,0);
 int cw=ml_tflite_add_tensor(B,"cw",9,4,sw,3,ws,wz,0,w,54);
 int cb=ml_tflite_add_tensor(B,"cb",2,1,sb3,0,NULL,NULL,0,b,12);
 int c=ml_tflite_add_tensor(B,"c",9,4,so,1,&s2,&z,0,NULL,0);
 int dw=ml_tflite_add_tensor(B,"dw",9,4,sdw,4,ws,wz,3,wd,36);
 int db=ml_tflite_add_tensor(B,"db",2,1,sb4,0,NULL,NULL,0,b,16);
 int d=ml_tflite_add_tensor(B,"d",9,4,sdo,1,&s2,&z,0,NULL,0);
 int p=ml_tflite_add_tensor(B,"p",9,4,sp,1,&s2,&z,0,NULL,0);
 int r=ml_tflite_add_tensor(B,"r",9,2,sf,1,&s2,&z,0,NULL,0);
 int fwt=ml_tflite_add_tensor(B,"fw",9,2,sfw,1,&ws[0],&z,0,fw,80);
 int fb=ml_tflite_add_tensor(B,"fb",2,1,sfb,0,NULL,NULL,0,b,20);
 int f=ml_tflite_add_tensor(B,"f",9,2,sfo,1,&s1,&z,0,NULL,0);
 int sx=ml_tflite_add_tensor(B,"sm",9,2,sfo,1,&sm,&zs,0,NULL,0);
 ml_gopts_default(&o); o.padding=1; o.activation=1;
 {int32_t i1[3]={x,cw,cb},o1[1]={c}; ml_tflite_add_op(B,3,3,NULL,&o,3,i1,1,o1);}
 o.padding=0; o.activation=3;
 {int32_t i1[3]={x,dw,db},o1[1]={d}; ml_tflite_add_op(B,4,3,NULL,&o,3,i1,1,o1);}
 ml_gopts_default(&o); o.filter_w=o.filter_h=2; o.stride_w=o.stride_h=2;
 {int32_t i1[1]={d},o1[1]={p}; ml_tflite_add_op(B,1,2,NULL,&o,1,i1,1,o1);}
 ml_gopts_default(&o); o.n_new_shape=2; o.new_shape[0]=1; o.new_shape[1]=16;
 {int32_t i1[1]={p},o1[1]={r}; ml_tflite_add_op(B,22,1,NULL,&o,1,i1,1,o1);}
 ml_gopts_default(&o);
 {int32_t i1[3]={r,fwt,fb},o1[1]={f}; ml_tflite_add_op(B,9,4,NULL,&o,3,i1,1,o1);}
 {int32_t i1[1]={f},o1[1]={sx}; ml_tflite_add_op(B,25,2,NULL,&o,1,i1,1,o1);}
 {int32_t in[1]={x}, out[2]={c,sx}; ml_tflite_set_io(B,1,in,2,out);}
 save(B,"tests/fuzz/seeds/tflite/conv_dw_pool_fc_softmax.tflite");
 /* add / mul with broadcast, logistic, tanh, mean, pad, concat, maxpool, quantize */
 B=ml_tflite_builder_new();
 int32_t s4[4]={1,2,2,3}, s1x[1]={3}, sm4[2]={1,3}, sax[1]={2}, spad[2]={4,2}, spo[4]={1,4,4,3};
 int32_t axes[2]={1,2}, pads[8]={0,0,1,1,1,1,0,0};
 float ls=1.0f/256, ts=1.0f/128; int64_t zl=-128;
 int a=ml_tflite_add_tensor(B,"a",9,4,s4,1,&s1,&z,0,NULL,0);
 int bb=ml_tflite_add_tensor(B,"b",9,1,s1x,1,&s2,&zi,0,NULL,0);
 int ad=ml_tflite_add_tensor(B,"add",9,4,s4,1,&s1,&z,0,NULL,0);
 int mu=ml_tflite_add_tensor(B,"mul",9,4,s4,1,&s1,&z,0,NULL,0);
 int lg=ml_tflite_add_tensor(B,"lg",9,4,s4,1,&ls,&zl,0,NULL,0);
 int th=ml_tflite_add_tensor(B,"th",9,4,s4,1,&ts,&z,0,NULL,0);
 int ax=ml_tflite_add_tensor(B,"axes",2,1,sax,0,NULL,NULL,0,axes,8);
 int mn=ml_tflite_add_tensor(B,"mean",9,2,sm4,1,&s2,&z,0,NULL,0);
 int pt=ml_tflite_add_tensor(B,"pads",2,2,spad,0,NULL,NULL,0,pads,32);
 int pd=ml_tflite_add_tensor(B,"pad",9,4,spo,1,&s1,&z,0,NULL,0);
 int32_t scat[4]={1,2,2,6};
 int ct=ml_tflite_add_tensor(B,"cat",9,4,scat,1,&s1,&z,0,NULL,0);
 int qz=ml_tflite_add_tensor(B,"q",9,4,scat,1,&s2,&zi,0,NULL,0);
 ml_gopts_default(&o); o.activation=1;
 {int32_t i1[2]={a,bb},o1[1]={ad}; ml_tflite_add_op(B,0,2,NULL,&o,2,i1,1,o1);}
 {int32_t i1[2]={ad,bb},o1[1]={mu}; ml_tflite_add_op(B,18,2,NULL,&o,2,i1,1,o1);}
 {int32_t i1[1]={mu},o1[1]={lg}; ml_tflite_add_op(B,14,2,NULL,NULL,1,i1,1,o1);}
 {int32_t i1[1]={mu},o1[1]={th}; ml_tflite_add_op(B,28,2,NULL,NULL,1,i1,1,o1);}
 ml_gopts_default(&o);
 {int32_t i1[2]={a,ax},o1[1]={mn}; ml_tflite_add_op(B,40,2,NULL,&o,2,i1,1,o1);}
 {int32_t i1[2]={a,pt},o1[1]={pd}; ml_tflite_add_op(B,34,2,NULL,&o,2,i1,1,o1);}
 o.axis=3;
 {int32_t i1[2]={ad,mu},o1[1]={ct}; ml_tflite_add_op(B,2,1,NULL,&o,2,i1,1,o1);}
 {int32_t i1[1]={ct},o1[1]={qz}; ml_tflite_add_op(B,114,2,NULL,NULL,1,i1,1,o1);}
 {int32_t in[2]={a,bb}, out[6]={lg,th,mn,pd,qz,ct}; ml_tflite_set_io(B,2,in,6,out);}
 save(B,"tests/fuzz/seeds/tflite/elementwise_mean_pad_concat.tflite");
 /* float edges: float x -> QUANTIZE -> FC (per-channel) -> DEQUANTIZE -> float y */
 B=ml_tflite_builder_new();
 {
  int32_t sx[2]={1,8}, sw2[2]={3,8}, sb2[1]={3}, sy[2]={1,3};
  float qs=0.05f, ys=0.1f, wcs[3]={0.02f,0.01f,0.03f}; int64_t qz=-5, yz=2, wcz[3]={0,0,0};
  int32_t b3[3]={100,-50,7};
  int fx=ml_tflite_add_tensor(B,"fx",0,2,sx,0,NULL,NULL,0,NULL,0);
  int qx=ml_tflite_add_tensor(B,"qx",9,2,sx,1,&qs,&qz,0,NULL,0);
  int w2=ml_tflite_add_tensor(B,"w",9,2,sw2,3,wcs,wcz,0,fw,24);
  int bb2=ml_tflite_add_tensor(B,"b",2,1,sb2,0,NULL,NULL,0,b3,12);
  int qy=ml_tflite_add_tensor(B,"qy",9,2,sy,1,&ys,&yz,0,NULL,0);
  int fy=ml_tflite_add_tensor(B,"fy",0,2,sy,0,NULL,NULL,0,NULL,0);
  ml_gopts_default(&o);
  {int32_t i1[1]={fx},o1[1]={qx}; ml_tflite_add_op(B,114,1,NULL,NULL,1,i1,1,o1);}
  {int32_t i1[3]={qx,w2,bb2},o1[1]={qy}; ml_tflite_add_op(B,9,4,NULL,&o,3,i1,1,o1);}
  {int32_t i1[1]={qy},o1[1]={fy}; ml_tflite_add_op(B,6,1,NULL,NULL,1,i1,1,o1);}
  {int32_t in[1]={fx}, out[1]={fy}; ml_tflite_set_io(B,1,in,1,out);}
 }
 save(B,"tests/fuzz/seeds/tflite/float_edges_fc.tflite");
}

static void bad(void){
 int32_t s[2]={1,4}, sw[2]={2,4}, sb[1]={2}, so[2]={1,2};
 float fw[8]={0.5f,-1,2,0,1,1,1,1}, fb[2]={0.25f,0};
 ml_tflite_builder*B=ml_tflite_builder_new();
 int x=ml_tflite_add_tensor(B,"x",0,2,s,0,NULL,NULL,0,NULL,0);
 int w=ml_tflite_add_tensor(B,"w",0,2,sw,0,NULL,NULL,0,fw,32);
 int b=ml_tflite_add_tensor(B,"b",0,1,sb,0,NULL,NULL,0,fb,8);
 int y=ml_tflite_add_tensor(B,"y",0,2,so,0,NULL,NULL,0,NULL,0);
 {int32_t i[3]={x,w,b},o[1]={y}; ml_tflite_add_op(B,9,1,NULL,NULL,3,i,1,o); ml_tflite_set_io(B,1,i,1,o);}
 save(B,"tests/golden/ml/float32_fc.tflite");
 /* int8 FC followed by an SVDF-coded op and a custom SignalRfft: two unsupported ops */
 float sc=0.5f; int64_t z=0; int8_t wi[8]={1,2,3,4,5,6,7,8};
 B=ml_tflite_builder_new();
 x=ml_tflite_add_tensor(B,"x",9,2,s,1,&sc,&z,0,NULL,0);
 w=ml_tflite_add_tensor(B,"w",9,2,sw,1,&sc,&z,0,wi,8);
 y=ml_tflite_add_tensor(B,"y",9,2,so,1,&sc,&z,0,NULL,0);
 int y2=ml_tflite_add_tensor(B,"y2",9,2,so,1,&sc,&z,0,NULL,0);
 int y3=ml_tflite_add_tensor(B,"y3",9,2,so,1,&sc,&z,0,NULL,0);
 {int32_t i[3]={x,w,-1},o[1]={y}; ml_tflite_add_op(B,9,4,NULL,NULL,3,i,1,o);}
 {int32_t i[1]={y},o[1]={y2}; ml_tflite_add_op(B,27,1,NULL,NULL,1,i,1,o);}
 {int32_t i[1]={y2},o[1]={y3}; ml_tflite_add_op(B,32,1,"SignalRfft",NULL,1,i,1,o);}
 {int32_t i[1]={x},o[1]={y3}; ml_tflite_set_io(B,1,i,1,o);}
 save(B,"tests/golden/ml/unsupported_ops.tflite");
}
int main(void)
{
    seeds();
    bad();
    return 0;
}
