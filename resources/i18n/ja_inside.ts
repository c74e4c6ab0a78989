<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
<context>
    <name>DeltasView</name>
    <message>
        <source>Hover a map or a strip to read a value; click a δ to see how it was computed in the Unit view.</source>
        <translation>マップや帯にマウスを重ねると値を表示します。δ をクリックすると、その計算をユニットビューに表示します。</translation>
    </message>
    <message>
        <source>gradient ‖dE/dθ‖</source>
        <translation>勾配 ‖dE/dθ‖</translation>
    </message>
    <message>
        <source>weights ‖θ‖</source>
        <translation>重み ‖θ‖</translation>
    </message>
    <message>
        <source>δ maps</source>
        <translation>δ マップ</translation>
    </message>
    <message>
        <source>Norms over the run</source>
        <translation>学習を通したノルム</translation>
    </message>
    <message>
        <source>Waiting for the first snapshot.</source>
        <translation>最初のスナップショットを待っています。</translation>
    </message>
    <message>
        <source>no conv layer</source>
        <translation>畳み込み層なし</translation>
    </message>
    <message>
        <source>{image}: label r = {r}, predicted {predicted}, v({n}) = {v}, E = −log v(r) = {E}, step {step}</source>
        <translation>{image}: 正解 r = {r}、予測 {predicted}、v({n}) = {v}、E = −log v(r) = {E}、ステップ {step}</translation>
    </message>
    <message>
        <source>{image}: no label, its prediction as r = {r}, predicted {predicted}, v({n}) = {v}, E = −log v(r) = {E}, step {step}</source>
        <translation>{image}: 正解なし、予測を r = {r} とする、予測 {predicted}、v({n}) = {v}、E = −log v(r) = {E}、ステップ {step}</translation>
    </message>
    <message>
        <source> (dropped by the latest minibatch&apos;s dropout)</source>
        <translation>（直近のミニバッチのドロップアウトで除外）</translation>
    </message>
    <message>
        <source>layers: {layers}   (against step; the black line: the timeline&apos;s)</source>
        <translation>層: {layers}   （横軸はステップ、黒い線はタイムラインの位置）</translation>
    </message>
    <message>
        <source> (computing…)</source>
        <translation>（計算中…）</translation>
    </message>
    <message>
        <source>{done} of {total} snapshots{more}. Per layer, weights and biases together; the gradient of the mean loss of the {n} probe images. Hover a plot to read the values.</source>
        <translation>{total} 個中 {done} 個のスナップショット{more}。層ごとに重みとバイアスをまとめて、{n} 枚のプローブ画像の平均誤差の勾配。グラフにマウスを重ねると値を表示します。</translation>
    </message>
    <message>
        <source>step {step}, ‖dE/dθ‖ / ‖θ‖: {values}</source>
        <translation>ステップ {step}、‖dE/dθ‖ / ‖θ‖: {values}</translation>
    </message>
</context>
<context>
    <name>FeatureMapsView</name>
    <message>
        <source>u (conv)</source>
        <translation>u（畳み込み）</translation>
    </message>
    <message>
        <source>a (ReLU)</source>
        <translation>a（ReLU）</translation>
    </message>
    <message>
        <source>p (pool)</source>
        <translation>p（プーリング）</translation>
    </message>
    <message>
        <source>u = F * x + b after convolution, a = ReLU(u), p = pool(a)</source>
        <translation>畳み込み後の u = F * x + b、a = ReLU(u)、p = pool(a)</translation>
    </message>
    <message>
        <source>Waiting for the first snapshot.</source>
        <translation>最初のスナップショットを待っています。</translation>
    </message>
    <message>
        <source> (no pooling: p = a)</source>
        <translation>（プーリングなし: p = a）</translation>
    </message>
    <message>
        <source>conv{l} {stage}: {C} channels of {H}×{W}{note}, step {step}. Hover to read a value; click a channel to enlarge it.</source>
        <translation>conv{l} {stage}: {H}×{W} の {C} チャンネル{note}、ステップ {step}。マウスを重ねると値を表示、チャンネルをクリックすると拡大します。</translation>
    </message>
    <message>
        <source>conv{l}  {stage}, channel {k}  ({H}×{W})</source>
        <translation>conv{l}  {stage}、チャンネル {k}  （{H}×{W}）</translation>
    </message>
</context>
<context>
    <name>FilterSlide</name>
    <message>
        <source>Click a pixel of a conv layer&apos;s map above to watch its filter slide over the layer&apos;s input.</source>
        <translation>上の畳み込み層のマップのピクセルをクリックすると、そのフィルタが層の入力の上を動く様子を見られます。</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>再生</translation>
    </message>
    <message>
        <source>Move the window position by position (Space)</source>
        <translation>窓を 1 位置ずつ動かす (Space)</translation>
    </message>
    <message>
        <source>One position back</source>
        <translation>1 位置戻る</translation>
    </message>
    <message>
        <source>One position on</source>
        <translation>1 位置進む</translation>
    </message>
    <message>
        <source> positions/s</source>
        <translation> 位置/秒</translation>
    </message>
    <message>
        <source>How fast the window moves while playing</source>
        <translation>再生中に窓が動く速さ</translation>
    </message>
    <message>
        <source>The input channel whose products are written out (at first: the one that contributes most to the selected unit)</source>
        <translation>積を書き出す入力チャンネル（最初は選んだユニットへの寄与が最も大きいもの）</translation>
    </message>
    <message>
        <source>Waiting for the first snapshot.</source>
        <translation>最初のスナップショットを待っています。</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>{x}(c={c}): the {m}×{m} window</source>
        <translation>{x}(c={c}): {m}×{m} の窓</translation>
    </message>
    <message>
        <source>input x: the {m}×{m} window</source>
        <translation>入力 x: {m}×{m} の窓</translation>
    </message>
    <message>
        <source>conv{l} u(k={k}), filled to {position}</source>
        <translation>conv{l} u(k={k})、{position} まで計算済み</translation>
    </message>
    <message>
        <source>Σ over the {C} channels = {sum}; </source>
        <translation>{C} チャンネルについての和 Σ = {sum}; </translation>
    </message>
</context>
<context>
    <name>FiltersView</name>
    <message>
        <source>weights F</source>
        <translation>重み F</translation>
    </message>
    <message>
        <source>Δ since step 0</source>
        <translation>ステップ 0 からの Δ</translation>
    </message>
    <message>
        <source>Δ since pin</source>
        <translation>固定したステップからの Δ</translation>
    </message>
    <message>
        <source>shared scale</source>
        <translation>共通スケール</translation>
    </message>
    <message>
        <source>own scale</source>
        <translation>個別スケール</translation>
    </message>
    <message>
        <source>all filters</source>
        <translation>すべてのフィルタ</translation>
    </message>
    <message>
        <source>one filter k</source>
        <translation>1 つのフィルタ k</translation>
    </message>
    <message>
        <source>Hover over a weight to read it; click a filter to enlarge it and to select its k.</source>
        <translation>重みにマウスを重ねると値を表示します。フィルタをクリックすると拡大し、その k を選びます。</translation>
    </message>
    <message>
        <source>run A</source>
        <translation>学習 A</translation>
    </message>
    <message>
        <source>run B</source>
        <translation>学習 B</translation>
    </message>
    <message>
        <source>conv{l}  ({k} of {m}×{m})</source>
        <translation>conv{l}  （{m}×{m} が {k} 個）</translation>
    </message>
    <message>
        <source>The weights F, or how far they moved: Δ = F − F(step 0), or F − F(pinned step)</source>
        <translation>重み F、またはその変化: Δ = F − F(ステップ 0)、または F − F(固定したステップ)</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>Pin the step shown: &quot;change since pinned step&quot; compares with it</source>
        <translation>表示中のステップを固定します。「固定したステップからの Δ」はこれと比べます</translation>
    </message>
    <message>
        <source>Shared scale: one colour scale for the layer and the whole run. Own scale: each filter k spans the whole colour range, which shows its pattern</source>
        <translation>共通スケール: 層と学習全体で 1 つの色スケール。個別スケール: フィルタ k ごとに色の範囲全体を使い、その模様がよく見えます</translation>
    </message>
    <message>
        <source>Every slice F(k, c) of the layer, or the C input slices of one filter k, large enough to read</source>
        <translation>層のすべてのスライス F(k, c)、または 1 つのフィルタ k の C 個の入力スライスを読める大きさで</translation>
    </message>
    <message>
        <source>The output filter k (the selected channel, the same in every view)</source>
        <translation>出力のフィルタ k（選んだチャンネル、すべてのビューで共通）</translation>
    </message>
    <message>
        <source>Compare mode: the main run&apos;s filters (A), a compared run&apos;s (B), or A − B at the cursor</source>
        <translation>比較モード: 主の学習のフィルタ (A)、比較する学習のフィルタ (B)、またはカーソル位置での A − B</translation>
    </message>
    <message>
        <source>Close the enlarged filter</source>
        <translation>拡大したフィルタを閉じる</translation>
    </message>
    <message>
        <source>No run B: add a session to compare (File menu).</source>
        <translation>学習 B がありません。比較するセッションを追加してください（ファイルメニュー）。</translation>
    </message>
    <message>
        <source>Run B ({file}) has no snapshot at step {step}.</source>
        <translation>学習 B（{file}）にはステップ {step} のスナップショットがありません。</translation>
    </message>
    <message>
        <source>Run B ({file}) has no {layer}: it has {n} conv layers.</source>
        <translation>学習 B（{file}）には {layer} がありません（畳み込み層は {n} 層）。</translation>
    </message>
    <message>
        <source>Pinned: step {step}. Click to pin the step shown instead</source>
        <translation>固定中: ステップ {step}。クリックすると表示中のステップを固定します</translation>
    </message>
    <message>
        <source>waiting for the first snapshot</source>
        <translation>最初のスナップショットを待っています</translation>
    </message>
    <message>
        <source>filter k={k}: its {C} slices F({k}, c)</source>
        <translation>フィルタ k={k}: その {C} 個のスライス F({k}, c)</translation>
    </message>
    <message>
        <source>{K} filters</source>
        <translation>フィルタ {K} 個</translation>
    </message>
    <message>
        <source>k across, c down ({K}×{C})</source>
        <translation>横に k、縦に c（{K}×{C}）</translation>
    </message>
    <message>
        <source>k down, c across ({K}×{C})</source>
        <translation>縦に k、横に c（{K}×{C}）</translation>
    </message>
    <message>
        <source>F − F(step {step})</source>
        <translation>F − F(ステップ {step})</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>ステップ {step}</translation>
    </message>
    <message>
        <source>F of run B ({run})</source>
        <translation>学習 B（{run}）の F</translation>
    </message>
    <message>
        <source>A step {a}, B step {b}</source>
        <translation>A はステップ {a}、B はステップ {b}</translation>
    </message>
    <message>
        <source>{F} of run A</source>
        <translation>学習 A の {F}</translation>
    </message>
    <message>
        <source>each filter ±its own largest |value|</source>
        <translation>フィルタごとに ±その最大の |値|</translation>
    </message>
    <message>
        <source>colours ±{top}</source>
        <translation>色 ±{top}</translation>
    </message>
    <message>
        <source> · nothing has moved yet</source>
        <translation> · まだ何も変化していません</translation>
    </message>
    <message>
        <source>{layer}F_B{where} = {value}   (run B: {run})</source>
        <translation>{layer}F_B{where} = {value}   （学習 B: {run}）</translation>
    </message>
    <message>
        <source>{layer}F{where} − F(step {step}) = {value}   (F = {weight})</source>
        <translation>{layer}F{where} − F(ステップ {step}) = {value}   （F = {weight}）</translation>
    </message>
    <message>
        <source>F({k}, {c}, μ, ν) − F(step {step})</source>
        <translation>F({k}, {c}, μ, ν) − F(ステップ {step})</translation>
    </message>
</context>
<context>
    <name>Momentum</name>
    <message>
        <source>M from the session</source>
        <translation>M はセッションの値</translation>
    </message>
    <message>
        <source>M = 0 here: the live parameters&apos; velocity is not shown</source>
        <translation>ここでは M = 0（学習中のパラメータの速度は表示しません）</translation>
    </message>
    <message>
        <source>M = 0 here: no session file holds this run&apos;s velocity</source>
        <translation>ここでは M = 0（この学習の速度を保存したセッションファイルがありません）</translation>
    </message>
    <message>
        <source>M = 0 here: this session recorded no velocity</source>
        <translation>ここでは M = 0（このセッションは速度を記録していません）</translation>
    </message>
    <message>
        <source>Momentum after step {step}, as the program writes it: Eta = lr/N = {lr}/{n} = {eta}, Beta = −momentum = {beta}; {whence}.</source>
        <translation>ステップ {step} の後のモーメント法（付録のプログラムの書き方）: Eta = lr/N = {lr}/{n} = {eta}, Beta = −momentum = {beta}; {whence}。</translation>
    </message>
    <message>
        <source>g = dE/d{symbol} of this image alone = {g} (the program&apos;s g sums it over the {n} images of a minibatch)</source>
        <translation>g = この画像だけの dE/d{symbol} = {g}（プログラムの g はミニバッチの {n} 枚の画像についての和）</translation>
    </message>
</context>
<context>
    <name>OverviewView</name>
    <message>
        <source>F * x + b, before ReLU</source>
        <translation>F * x + b、ReLU の前</translation>
    </message>
    <message>
        <source>the 2×2 block&apos;s max of a</source>
        <translation>2×2 ブロックでの a の最大値</translation>
    </message>
    <message>
        <source>Waiting for the first snapshot.</source>
        <translation>最初のスナップショットを待っています。</translation>
    </message>
    <message>
        <source>{image} at step {step}: predicted {predicted} ({p}). Hover a map or a unit to read it; click one to see how it was computed (and a conv unit&apos;s filter slide).</source>
        <translation>ステップ {step} の {image}: 予測 {predicted}（{p}）。マップやユニットにマウスを重ねると値を表示、クリックするとその計算（畳み込み層のユニットならフィルタの動き）を表示します。</translation>
    </message>
    <message>
        <source>input x(i={i}, j={j}) = {value}: a pixel of the image, scaled to [0, 1]</source>
        <translation>入力 x(i={i}, j={j}) = {value}: 画像のピクセル、[0, 1] に変換</translation>
    </message>
    <message>
        <source>the 2×2 block&apos;s mean of a</source>
        <translation>2×2 ブロックでの a の平均</translation>
    </message>
    <message>
        <source>{name}(k={k}, i={i}, j={j}) = {value}: {what}; channel {k} of {n}. Click to see it computed.</source>
        <translation>{name}(k={k}, i={i}, j={j}) = {value}: {what}; {n} チャンネル中のチャンネル {k}。クリックすると計算を表示します。</translation>
    </message>
    <message>
        <source>flatten v({n}) = {input} = {value}: the last maps read in (c, i, j) order, the first fully connected layer&apos;s input</source>
        <translation>flatten v({n}) = {input} = {value}: 最後のマップを (c, i, j) の順に並べたもの、最初の全結合層の入力</translation>
    </message>
    <message>
        <source>fc{l} a(n={n}) = ReLU(u) = {value}, u = {u}. Click to see it computed.</source>
        <translation>fc{l} a(n={n}) = ReLU(u) = {value}、u = {u}。クリックすると計算を表示します。</translation>
    </message>
    <message>
        <source>output class {name}: Soft(u)({n}) = {value}, u = {u}. Click to see it computed.</source>
        <translation>出力 クラス {name}: Soft(u)({n}) = {value}、u = {u}。クリックすると計算を表示します。</translation>
    </message>
    <message>
        <source>flatten: {n} values</source>
        <translation>flatten: {n} 個の値</translation>
    </message>
    <message>
        <source>output: Soft(u), {n}</source>
        <translation>出力: Soft(u), {n}</translation>
    </message>
    <message>
        <source>input: {shape}</source>
        <translation>入力: {shape}</translation>
    </message>
</context>
<context>
    <name>Playground</name>
    <message>
        <source>{entry} is not a number</source>
        <translation>{entry} は数ではありません</translation>
    </message>
    <message>
        <source>it is empty</source>
        <translation>空です</translation>
    </message>
    <message>
        <source>{entry} divides by zero</source>
        <translation>{entry} はゼロで割っています</translation>
    </message>
    <message>
        <source>X is empty: type its rows, one a line, such as 16 2 3 13.</source>
        <translation>X が空です。16 2 3 13 のように 1 行ずつ入力してください。</translation>
    </message>
    <message>
        <source>Row {i} of X has {n} entries and row 1 has {width}: every row of X needs as many.</source>
        <translation>X の {i} 行目は {n} 個、1 行目は {width} 個です。X のすべての行を同じ個数にしてください。</translation>
    </message>
    <message>
        <source>X is {h}×{w}: type at most {most}×{most} entries.</source>
        <translation>X が {h}×{w} です。{most}×{most} 個までにしてください。</translation>
    </message>
    <message>
        <source>Filter entry F{index} is not usable: {problem} (write a number such as -1, 0.25 or a fraction such as 1/9).</source>
        <translation>フィルタの成分 F{index} が使えません: {problem}（-1、0.25 のような数、または 1/9 のような分数を書いてください）。</translation>
    </message>
    <message>
        <source>Entry X{index} is not usable: {problem} (write a number such as -1, 0.25 or a fraction such as 1/9).</source>
        <translation>成分 X{index} が使えません: {problem}（-1、0.25 のような数、または 1/9 のような分数を書いてください）。</translation>
    </message>
</context>
<context>
    <name>PlaygroundView</name>
    <message>
        <source>custom</source>
        <translation>カスタム</translation>
    </message>
    <message>
        <source>identity</source>
        <translation>恒等</translation>
    </message>
    <message>
        <source>cross (figure 2)</source>
        <translation>十字（図2）</translation>
    </message>
    <message>
        <source>Sobel x</source>
        <translation>ソーベル x</translation>
    </message>
    <message>
        <source>Sobel y</source>
        <translation>ソーベル y</translation>
    </message>
    <message>
        <source>Laplacian</source>
        <translation>ラプラシアン</translation>
    </message>
    <message>
        <source>box blur</source>
        <translation>平均化（ぼかし）</translation>
    </message>
    <message>
        <source>Figure 2</source>
        <translation>図2</translation>
    </message>
    <message>
        <source>Exercise 1</source>
        <translation>練習 1</translation>
    </message>
    <message>
        <source>Exercise 2</source>
        <translation>練習 2</translation>
    </message>
    <message>
        <source>Exercise 2 (G)</source>
        <translation>練習 2（G）</translation>
    </message>
    <message>
        <source>{path} is {w} × {h} pixels: the playground takes images of at most {most} × {most} as they are (crop or shrink it).</source>
        <translation>{path} は {w} × {h} ピクセルです。フィルタの実験場は {most} × {most} までの画像をそのまま使います（切り取るか縮小してください）。</translation>
    </message>
    <message>
        <source>A filter to start from; editing a cell makes it custom</source>
        <translation>出発点のフィルタ。セルを編集するとカスタムになります</translation>
    </message>
    <message>
        <source>The filter&apos;s size m x m</source>
        <translation>フィルタサイズ m x m</translation>
    </message>
    <message>
        <source>valid: (n - m + 1)², no padding (section 2.2); same: n², zero padding (2.3)</source>
        <translation>valid: (n - m + 1)²、パディングなし（2.2 節）; same: n²、ゼロパディング（2.3 節）</translation>
    </message>
    <message>
        <source>selected test image</source>
        <translation>選んだテスト画像</translation>
    </message>
    <message>
        <source>lecture 6×6 (1..36)</source>
        <translation>講義の 6×6（1..36）</translation>
    </message>
    <message>
        <source>typed X</source>
        <translation>入力した X</translation>
    </message>
    <message>
        <source>image file</source>
        <translation>画像ファイル</translation>
    </message>
    <message>
        <source>X: the test image chosen in every view (values x/255), figure 2&apos;s 6x6 image, an X typed below, or an image file as it is (grey, 0 to 1)</source>
        <translation>X: すべてのビューで選んだテスト画像（値は x/255）、図2 の 6x6 の画像、下に入力した X、または画像ファイルそのまま（グレー、0 から 1）</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>画像を開く…</translation>
    </message>
    <message>
        <source>An image file of at most {most}×{most} pixels, as it is, in grey (figures 3 to 5: try the Sobel filters)</source>
        <translation>{most}×{most} ピクセルまでの画像ファイルをそのままグレーで（図3 から図5: ソーベル・フィルタを試してください）</translation>
    </message>
    <message>
        <source>X: one row a line, entries separated by spaces; numbers or fractions such as 1/2; at most {most}×{most}</source>
        <translation>X: 1 行に 1 行、成分は空白で区切る。数または 1/2 のような分数。{most}×{most} まで</translation>
    </message>
    <message>
        <source>Lecture example</source>
        <translation>講義の例</translation>
    </message>
    <message>
        <source>Figure 2: the 6x6 image 1..36 and the cross filter, valid padding</source>
        <translation>図2: 6x6 の画像 1..36 と十字のフィルタ、パディング valid</translation>
    </message>
    <message>
        <source>Section 2.2, exercise 1: F ⋆ X of a 4x4 X, valid padding</source>
        <translation>2.2 節の練習 1: 4x4 の X の F ⋆ X、パディング valid</translation>
    </message>
    <message>
        <source>Section 2.3, exercise 2: the same X and F with same padding (F ⋆zp X)</source>
        <translation>2.3 節の練習 2: 同じ X と F でパディング same（F ⋆zp X）</translation>
    </message>
    <message>
        <source>F(μ, ν): row μ, column ν. Type a number or a fraction such as 1/9</source>
        <translation>F(μ, ν): 行 μ、列 ν。数または 1/9 のような分数を入力してください</translation>
    </message>
    <message>
        <source>Filter F (rows μ, columns ν):</source>
        <translation>フィルタ F（行 μ、列 ν）:</translation>
    </message>
    <message>
        <source>X typed</source>
        <translation>入力した X</translation>
    </message>
    <message>
        <source>X = figure 2</source>
        <translation>X = 図2</translation>
    </message>
    <message>
        <source>Open an image for the playground</source>
        <translation>フィルタの実験場で使う画像を開く</translation>
    </message>
    <message>
        <source>X: none</source>
        <translation>X: なし</translation>
    </message>
    <message>
        <source>A {m}×{m} filter does not fit the {h}×{w} image with valid padding: choose same padding or a smaller filter.</source>
        <translation>{m}×{m} のフィルタはパディング valid では {h}×{w} の画像に収まりません。パディング same か小さいフィルタを選んでください。</translation>
    </message>
    <message>
        <source>X̃, X zero-padded ({h}×{w})</source>
        <translation>X̃、X をゼロパディング（{h}×{w}）</translation>
    </message>
    <message>
        <source>(F ⋆ X)(j, k) = Σ_μ Σ_ν F(μ, ν) X(j + μ, k + ν) with a {m}×{m} filter, no padding. Hover a value to see its sum.</source>
        <translation>(F ⋆ X)(j, k) = Σ_μ Σ_ν F(μ, ν) X(j + μ, k + ν)、{m}×{m} のフィルタ、パディングなし。値にマウスを重ねるとその和を表示します。</translation>
    </message>
    <message>
        <source>(F ⋆ X)(j, k) = Σ_μ Σ_ν F(μ, ν) X(j + μ, k + ν) with a {m}×{m} filter, X padded with {before} zero rows and columns before and {after} after. Hover a value to see its sum.</source>
        <translation>(F ⋆ X)(j, k) = Σ_μ Σ_ν F(μ, ν) X(j + μ, k + ν)、{m}×{m} のフィルタ、X の前に {before} 行・列、後ろに {after} 行・列のゼロパディング。値にマウスを重ねるとその和を表示します。</translation>
    </message>
    <message>
        <source>F ⋆ X: none</source>
        <translation>F ⋆ X: なし</translation>
    </message>
    <message>
        <source>{example}, the notes&apos; answer: {symbol} = [{answer}], the same as here.</source>
        <translation>{example}、講義ノートの答え: {symbol} = [{answer}]。ここでの結果と同じです。</translation>
    </message>
    <message>
        <source>{example}, the notes&apos; answer: {symbol} = [{answer}], not what the playground gives.</source>
        <translation>{example}、講義ノートの答え: {symbol} = [{answer}]。フィルタの実験場の結果とは異なります。</translation>
    </message>
    <message>
        <source> Its second part, G = [1 0; 0 0]: choose identity with m = 2.</source>
        <translation> 後半の G = [1 0; 0 0] は、m = 2 で恒等を選んでください。</translation>
    </message>
    <message>
        <source>0, the padding</source>
        <translation>0（パディング）</translation>
    </message>
    <message>
        <source> + … ({n} more)</source>
        <translation> + …（ほか {n} 項）</translation>
    </message>
</context>
<context>
    <name>PoolingView</name>
    <message>
        <source>channel </source>
        <translation>チャンネル </translation>
    </message>
    <message>
        <source>The channel k of the layer (the same in every view)</source>
        <translation>層のチャンネル k（すべてのビューで共通）</translation>
    </message>
    <message>
        <source>Waiting for the first snapshot.</source>
        <translation>最初のスナップショットを待っています。</translation>
    </message>
    <message>
        <source>p = max pool(a)  {h}×{w}  · step {step}</source>
        <translation>p = 最大値プーリング(a)  {h}×{w}  · ステップ {step}</translation>
    </message>
    <message>
        <source>p = average pool(a)  {h}×{w}  · step {step}</source>
        <translation>p = 平均プーリング(a)  {h}×{w}  · ステップ {step}</translation>
    </message>
    <message>
        <source>p = a  (no pooling)  · step {step}</source>
        <translation>p = a  （プーリングなし）  · ステップ {step}</translation>
    </message>
    <message>
        <source>Hatched: last row and column, in no block.</source>
        <translation>斜線: 最後の行と列、どのブロックにも入りません。</translation>
    </message>
    <message>
        <source>Hatched: last row, in no block.</source>
        <translation>斜線: 最後の行、どのブロックにも入りません。</translation>
    </message>
    <message>
        <source>Hatched: last column, in no block.</source>
        <translation>斜線: 最後の列、どのブロックにも入りません。</translation>
    </message>
    <message>
        <source>□ winner (ζ, η) of a block: bold if it beats the runner-up by ≥{clear} of the range, faint if by less, none if tied (flat background). Hover over p or a.</source>
        <translation>□ ブロックの最大値の位置 (ζ, η): 2 番目との差が範囲の {clear} 以上なら太く、それ未満なら薄く、同じ値（平らな背景）なら印なし。p か a にマウスを重ねてください。</translation>
    </message>
    <message>
        <source>Average pooling: p is each block&apos;s mean, no winner.</source>
        <translation>平均プーリング: p は各ブロックの平均で、最大値の位置はありません。</translation>
    </message>
    <message>
        <source>No pooling in this layer.</source>
        <translation>この層はプーリングなし。</translation>
    </message>
    <message>
        <source>Hover over p or a.</source>
        <translation>p か a にマウスを重ねてください。</translation>
    </message>
    <message>
        <source>{p} = mean of a({k}, {rows}, {columns})</source>
        <translation>{p} = a({k}, {rows}, {columns}) の平均</translation>
    </message>
    <message>
        <source>a tie: no mark</source>
        <translation>同じ値: 印なし</translation>
    </message>
    <message>
        <source>beats the runner-up by {margin}</source>
        <translation>2 番目との差 {margin}</translation>
    </message>
    <message>
        <source>{p} = max of a({k}, {rows}, {columns}), winner (ζ, η) = {winner}, {beats}</source>
        <translation>{p} = a({k}, {rows}, {columns}) の最大値、最大値の位置 (ζ, η) = {winner}、{beats}</translation>
    </message>
    <message>
        <source>{a} = p (no pooling)</source>
        <translation>{a} = p（プーリングなし）</translation>
    </message>
    <message>
        <source>{a}: on the odd edge, in no 2×2 block, so not pooled</source>
        <translation>{a}: 奇数サイズの端で、どの 2×2 ブロックにも入らないためプーリングされません</translation>
    </message>
</context>
<context>
    <name>ProbeHistoryView</name>
    <message>
        <source>class</source>
        <translation>クラス順</translation>
    </message>
    <message>
        <source>first right</source>
        <translation>初めて正解した順</translation>
    </message>
    <message>
        <source>Colour: probability of the true class. White dot: first classified right. Point at a cell for its values; click it to show that step and image.</source>
        <translation>色: 正解クラスの確率。白い点: 初めて正しく分類されたところ。セルにマウスを重ねると値を表示、クリックするとそのステップと画像を表示します。</translation>
    </message>
    <message>
        <source>The rows&apos; order: by class (the run&apos;s order), or by when each image was first classified right</source>
        <translation>行の順: クラス順（学習の順）、または各画像が初めて正しく分類された順</translation>
    </message>
    <message>
        <source>step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>order</source>
        <translation>順</translation>
    </message>
    <message>
        <source>No run.</source>
        <translation>学習がありません。</translation>
    </message>
    <message>
        <source>No snapshot yet.</source>
        <translation>スナップショットはまだありません。</translation>
    </message>
    <message>
        <source>Step {step} (snapshot {i}/{count}): {right} of {n} right; {ever} of {n} right at some snapshot</source>
        <translation>ステップ {step}（スナップショット {i}/{count}）: {n} 枚中 {right} 枚が正解、{n} 枚中 {ever} 枚がいずれかのスナップショットで正解</translation>
    </message>
    <message>
        <source>first right at step {step}</source>
        <translation>ステップ {step} で初めて正解</translation>
    </message>
    <message>
        <source>not classified right at any snapshot yet</source>
        <translation>まだどのスナップショットでも正しく分類されていません</translation>
    </message>
    <message>
        <source>Test #{index}, a {name}: {when}. Click to select it.</source>
        <translation>テスト画像 #{index}（{name}）: {when}。クリックすると選びます。</translation>
    </message>
    <message>
        <source>Test #{index}, a {name}, step {step} (snapshot {i} of {count})</source>
        <translation>テスト画像 #{index}（{name}）、ステップ {step}（スナップショット {count} 個中 {i} 個目）</translation>
    </message>
    <message>
        <source>{where}: the probabilities are not finite (the run diverged); {when}.</source>
        <translation>{where}: 確率が有限ではありません（学習が発散しました）。{when}。</translation>
    </message>
    <message>
        <source>{where}: p({name}) = {p}, predicted {predicted} ({q}, right); {when}.</source>
        <translation>{where}: p({name}) = {p}、予測 {predicted}（{q}、正解）。{when}。</translation>
    </message>
    <message>
        <source>{where}: p({name}) = {p}, predicted {predicted} ({q}, wrong); {when}.</source>
        <translation>{where}: p({name}) = {p}、予測 {predicted}（{q}、不正解）。{when}。</translation>
    </message>
</context>
<context>
    <name>UnitBackward</name>
    <message>
        <source>the other {n} terms: Σ = {sum}</source>
        <translation>残りの {n} 項: Σ = {sum}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Back-propagation&lt;/b&gt; (section 3.3), label r = {r}: δ = dE/du of this unit, E = −log v(r)</source>
        <translation>&lt;b&gt;誤差逆伝播法&lt;/b&gt;（3.3 節）、正解 r = {r}: このユニットのデルタ δ = dE/du、E = −log v(r)</translation>
    </message>
    <message>
        <source>(r({n}) = {r}: the label)</source>
        <translation>（r({n}) = {r}: 正解）</translation>
    </message>
    <message>
        <source>(r({n}) = {r}: not the label)</source>
        <translation>（r({n}) = {r}: 正解ではない）</translation>
    </message>
    <message>
        <source>δ(n) = f′(u(n)) Σ&lt;sub&gt;n′&lt;/sub&gt; W(n′, n) δ(n′), the {n} units n′ of {layer}:</source>
        <translation>δ(n) = f′(u(n)) Σ&lt;sub&gt;n′&lt;/sub&gt; W(n′, n) δ(n′)（{layer} の {n} 個のユニット n′ について）:</translation>
    </message>
    <message>
        <source>No pooling: dE/da = dE/dp at the same position.</source>
        <translation>プーリングなし: 同じ位置で dE/da = dE/dp。</translation>
    </message>
    <message>
        <source>On the odd last row or column, in no 2×2 block: no dE/dp reaches it, δ = 0.</source>
        <translation>奇数サイズの最後の行または列で、どの 2×2 ブロックにも入りません。dE/dp が届かないので δ = 0。</translation>
    </message>
    <message>
        <source>Average pooling: a quarter of dE/dp(k, {i}, {j}) reaches each of the four.</source>
        <translation>平均プーリング: dE/dp(k, {i}, {j}) の 4 分の 1 が 4 つのそれぞれに届きます。</translation>
    </message>
    <message>
        <source>Max pooling: (i, j) won its block (i′, j′) = {block}: (ζ, η) = {winner}, so dE/da = dE/dp(k, {i}, {j}).</source>
        <translation>最大値プーリング: (i, j) はブロック (i′, j′) = {block} の最大値です（(ζ, η) = {winner}）。よって dE/da = dE/dp(k, {i}, {j})。</translation>
    </message>
    <message>
        <source>Max pooling: (i, j) lost its block (i′, j′) = {block} to (ζ, η) = {winner}: only the winner receives dE/dp, so δ = 0.</source>
        <translation>最大値プーリング: ブロック (i′, j′) = {block} の最大値は (i, j) ではなく (ζ, η) = {winner} です。dE/dp を受け取るのは最大値の位置だけなので δ = 0。</translation>
    </message>
    <message>
        <source>dE/dp(k, i′, j′) = Σ&lt;sub&gt;n′&lt;/sub&gt; W(n′, q) δ(n′), q = {q} its place in {layer}&apos;s input (flattened in (c, i, j) order):</source>
        <translation>dE/dp(k, i′, j′) = Σ&lt;sub&gt;n′&lt;/sub&gt; W(n′, q) δ(n′)、q = {q} は {layer} の入力（(c, i, j) の順に 1 列に並べたもの）での位置:</translation>
    </message>
    <message>
        <source>dE/dp(k, i′, j′) = Σ&lt;sub&gt;k′&lt;/sub&gt; Σ&lt;sub&gt;μ&lt;/sub&gt; Σ&lt;sub&gt;ν&lt;/sub&gt; F(k′, k, μ, ν) δ(k′, i′+t−μ{one}, j′+t−ν{one}) over {layer}&apos;s deltas (its filters flipped):</source>
        <translation>dE/dp(k, i′, j′) = Σ&lt;sub&gt;k′&lt;/sub&gt; Σ&lt;sub&gt;μ&lt;/sub&gt; Σ&lt;sub&gt;ν&lt;/sub&gt; F(k′, k, μ, ν) δ(k′, i′+t−μ{one}, j′+t−ν{one})（{layer} のデルタについて、フィルタを反転）:</translation>
    </message>
</context>
<context>
    <name>UnitView</name>
    <message>
        <source>Click a pixel of a conv map in the Feature maps, Pooling or Overview view (or choose a layer, k, i and j above) to see how its value was computed.</source>
        <translation>特徴マップ、プーリング、全体像のビューで畳み込み層のマップのピクセルをクリックすると（または上で層、k、i、j を選ぶと）、その値の計算が表示されます。</translation>
    </message>
    <message>
        <source>input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>conv layers follow the selection (click a map pixel); fc1 ... output: a fully connected unit or an output class</source>
        <translation>畳み込み層は選択に従います（マップのピクセルをクリック）。fc1 … 出力: 全結合層のユニットまたは出力のクラス</translation>
    </message>
    <message>
        <source>The channel k of the conv layer</source>
        <translation>畳み込み層のチャンネル k</translation>
    </message>
    <message>
        <source>The row i in the layer&apos;s u map</source>
        <translation>層の u のマップの行 i</translation>
    </message>
    <message>
        <source>The column j in the layer&apos;s u map</source>
        <translation>層の u のマップの列 j</translation>
    </message>
    <message>
        <source>The unit n of the fully connected layer (the class of the output layer)</source>
        <translation>全結合層のユニット n（出力層ではクラス）</translation>
    </message>
    <message>
        <source>u: forward</source>
        <translation>u: 順伝播</translation>
    </message>
    <message>
        <source>δ: backward</source>
        <translation>δ: 逆伝播</translation>
    </message>
    <message>
        <source>How δ = dE/du of this unit was computed for the image and its label (3.3), and the momentum step of its filter</source>
        <translation>この画像と正解についてこのユニットの δ = dE/du をどう計算したか（3.3 節）と、そのフィルタのモーメント法による更新</translation>
    </message>
    <message>
        <source>output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>Waiting for the first snapshot.</source>
        <translation>最初のスナップショットを待っています。</translation>
    </message>
    <message>
        <source>{layer}  u(k={k}, i={i}, j={j}) = {u},  a = {a}   ({image}, step {step})</source>
        <translation>{layer}  u(k={k}, i={i}, j={j}) = {u},  a = {a}   （{image}、ステップ {step}）</translation>
    </message>
    <message>
        <source>{layer}  u(n={n}) = {u},  {value}   ({image}, step {step})</source>
        <translation>{layer}  u(n={n}) = {u},  {value}   （{image}、ステップ {step}）</translation>
    </message>
    <message>
        <source>input: receptive field</source>
        <translation>入力: 受容野</translation>
    </message>
    <message>
        <source>input: {image}</source>
        <translation>入力: {image}</translation>
    </message>
    <message>
        <source>{layer} u(k={k}) at {position}</source>
        <translation>{layer} u(k={k})、位置 {position}</translation>
    </message>
    <message>
        <source>conv{l} p(c={c}): patch</source>
        <translation>conv{l} p(c={c}): パッチ</translation>
    </message>
    <message>
        <source> ({padding} padding, zeros outside the map)</source>
        <translation>（パディング {padding}、マップの外はゼロ）</translation>
    </message>
    <message>
        <source> ({padding} padding)</source>
        <translation>（パディング {padding}）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{layer}&lt;/b&gt;, k = {k}, (i, j) = {position}; input {x} = {name}: {C} channels of {m}×{m}{padding}</source>
        <translation>&lt;b&gt;{layer}&lt;/b&gt;、k = {k}、(i, j) = {position}; 入力 {x} = {name}: {m}×{m} の {C} チャンネル{padding}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{layer}&lt;/b&gt;, k = {k}, (i, j) = {position}; input {x} = {name}: 1 channel of {m}×{m}{padding}</source>
        <translation>&lt;b&gt;{layer}&lt;/b&gt;、k = {k}、(i, j) = {position}; 入力 {x} = {name}: {m}×{m} の 1 チャンネル{padding}</translation>
    </message>
    <message>
        <source>Input channels by their contribution, the largest |Σ| first (the {n} largest of {C}):</source>
        <translation>入力チャンネルを寄与の大きい順に（|Σ| の大きい順、{C} 個のうち上位 {n} 個）:</translation>
    </message>
    <message>
        <source>Input channels by their contribution, the largest |Σ| first:</source>
        <translation>入力チャンネルを寄与の大きい順に（|Σ| の大きい順）:</translation>
    </message>
    <message>
        <source>{x}(c, ·, ·) patch</source>
        <translation>{x}(c, ·, ·) のパッチ</translation>
    </message>
    <message>
        <source>products</source>
        <translation>積</translation>
    </message>
    <message>
        <source>The other {n} channels: Σ = {sum}</source>
        <translation>残りの {n} チャンネル: Σ = {sum}</translation>
    </message>
    <message>
        <source>Σ over the channels = {terms} = {total}</source>
        <translation>チャンネルについての和 Σ = {terms} = {total}</translation>
    </message>
    <message>
        <source>Receptive field: input rows {rows}, columns {columns} ({h}×{w} pixels); a pixel outside it cannot change u.</source>
        <translation>受容野: 入力の行 {rows}、列 {columns}（{h}×{w} ピクセル）。この外のピクセルは u を変えられません。</translation>
    </message>
    <message>
        <source>No pooling in this layer: p = a.</source>
        <translation>この層はプーリングなし: p = a。</translation>
    </message>
    <message>
        <source>On the odd last row or column, in no 2×2 block: not pooled, so a reaches no p (it did not win).</source>
        <translation>奇数サイズの最後の行または列で、どの 2×2 ブロックにも入りません。プーリングされないので a はどの p にも届きません（最大値ではありません）。</translation>
    </message>
    <message>
        <source>On the odd last row or column, in no 2×2 block: not pooled, so a reaches no p.</source>
        <translation>奇数サイズの最後の行または列で、どの 2×2 ブロックにも入りません。プーリングされないので a はどの p にも届きません。</translation>
    </message>
    <message>
        <source>2×2 block (i&apos;, j&apos;) = {block}, a(k, {rows}, {columns})</source>
        <translation>2×2 ブロック (i&apos;, j&apos;) = {block}、a(k, {rows}, {columns})</translation>
    </message>
    <message>
        <source>Average pooling: p(k, {i}, {j}) = mean of the {where} = {p}.</source>
        <translation>平均プーリング: p(k, {i}, {j}) = {where} の平均 = {p}。</translation>
    </message>
    <message>
        <source>Max pooling: this position won its {where}: (ζ, η) = {winner}, so p(k, {i}, {j}) = a = &lt;b&gt;{p}&lt;/b&gt;.</source>
        <translation>最大値プーリング: この位置が {where} の最大値です（(ζ, η) = {winner}）。よって p(k, {i}, {j}) = a = &lt;b&gt;{p}&lt;/b&gt;。</translation>
    </message>
    <message>
        <source>Max pooling: this position lost its {where}; the winner is (ζ, η) = {winner} (a tie: the first in row-major order wins) with p(k, {i}, {j}) = {p}.</source>
        <translation>最大値プーリング: この位置は {where} の最大値ではありません。最大値は (ζ, η) = {winner}（同じ値: 行優先順で最初のもの）で p(k, {i}, {j}) = {p}。</translation>
    </message>
    <message>
        <source>Max pooling: this position lost its {where}; the winner is (ζ, η) = {winner} with p(k, {i}, {j}) = {p}.</source>
        <translation>最大値プーリング: この位置は {where} の最大値ではありません。最大値は (ζ, η) = {winner} で p(k, {i}, {j}) = {p}。</translation>
    </message>
    <message>
        <source>output layer ({layer})</source>
        <translation>出力層（{layer}）</translation>
    </message>
    <message>
        <source>v = {input} (flattened in (c, i, j) order)</source>
        <translation>v = {input}（(c, i, j) の順に 1 列に並べたもの）</translation>
    </message>
    <message>
        <source>{n} (class {name})</source>
        <translation>{n}（クラス {name}）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{layer}&lt;/b&gt;, unit n = {unit}; {v}, {inputs} inputs</source>
        <translation>&lt;b&gt;{layer}&lt;/b&gt;、ユニット n = {unit}; {v}、入力 {inputs} 個</translation>
    </message>
    <message>
        <source>u(n) = Σ&lt;sub&gt;i&lt;/sub&gt; W(n, i) v(i) + b(n); the largest |W(n, i) v(i)| first</source>
        <translation>u(n) = Σ&lt;sub&gt;i&lt;/sub&gt; W(n, i) v(i) + b(n)（|W(n, i) v(i)| の大きい順）</translation>
    </message>
    <message>
        <source>The other {n} inputs: Σ = {sum} ({zeros} of them have v(i) = 0)</source>
        <translation>残りの {n} 個の入力: Σ = {sum}（うち {zeros} 個は v(i) = 0）</translation>
    </message>
    <message>
        <source>predicted class {c} ({p}); {image} has no label</source>
        <translation>予測クラス {c}（{p}）。{image} には正解がありません</translation>
    </message>
    <message>
        <source>predicted class {c} ({p}); the label is {label}</source>
        <translation>予測クラス {c}（{p}）。正解は {label}</translation>
    </message>
    <message>
        <source>a(n) = ReLU(u) = max(0, u) = &lt;b&gt;{a}&lt;/b&gt; (no dropout outside training)</source>
        <translation>a(n) = ReLU(u) = max(0, u) = &lt;b&gt;{a}&lt;/b&gt;（学習時以外はドロップアウトなし）</translation>
    </message>
    <message>
        <source>The update of its filter F({k}, ·, ·, ·) at its largest |g|:</source>
        <translation>フィルタ F({k}, ·, ·, ·) の |g| が最大の成分の更新:</translation>
    </message>
</context>
</TS>
