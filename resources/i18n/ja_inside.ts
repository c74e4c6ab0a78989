<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
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
        <translation>特徴マップ、プーリング、全体図のビューで畳み込み層のマップのピクセルをクリックすると（または上で層、k、i、j を選ぶと）、その値の計算が表示されます。</translation>
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
