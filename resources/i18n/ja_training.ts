<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
<context>
    <name>CompareTable</name>
    <message>
        <source>Every setting that differs between the runs compared</source>
        <translation>比較している学習の間で異なる設定のすべて</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>外す</translation>
    </message>
    <message>
        <source>Take the selected run out of the comparison</source>
        <translation>選んだ学習を比較から外す</translation>
    </message>
    <message>
        <source>run</source>
        <translation>学習</translation>
    </message>
    <message>
        <source>file</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>at step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>{step} (its last)</source>
        <translation>{step}（最後）</translation>
    </message>
    <message>
        <source>{step} (its first)</source>
        <translation>{step}（最初）</translation>
    </message>
</context>
<context>
    <name>ControlsView</name>
    <message>
        <source>Architecture changes need a new run.</source>
        <translation>ネットワークの構成を変えるには新しい学習が必要です。</translation>
    </message>
    <message>
        <source>A run needs at least one conv layer (cnnviz train refuses --conv &apos;&apos;).</source>
        <translation>学習には畳み込み層が少なくとも 1 つ必要です（cnnviz train は --conv &apos;&apos; を受け付けません）。</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>モーメント</translation>
    </message>
    <message>
        <source>dropout ratio</source>
        <translation>ドロップアウト率</translation>
    </message>
    <message>
        <source>filters</source>
        <translation>フィルタ数</translation>
    </message>
    <message>
        <source>size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <source>padding</source>
        <translation>パディング</translation>
    </message>
    <message>
        <source>pooling</source>
        <translation>プーリング</translation>
    </message>
    <message>
        <source>Add conv layer</source>
        <translation>畳み込み層を追加</translation>
    </message>
    <message>
        <source>Hidden fully connected sizes, comma-separated; the 10 outputs are added</source>
        <translation>隠れ層の全結合層のユニット数（コンマ区切り）。出力の 10 ユニットは自動で加わります</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Dropout ratio on the hidden fully connected layers, in [0, 1)</source>
        <translation>隠れ層の全結合層のドロップアウト率、[0, 1) の範囲</translation>
    </message>
    <message>
        <source>Initialisation, shuffling, dropout and the choice of probe images</source>
        <translation>初期値、シャッフル、ドロップアウト、プローブ画像の選択に使う乱数のシード</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>hidden fc</source>
        <translation>隠れ層 fc</translation>
    </message>
    <message>
        <source>+ 10 outputs</source>
        <translation>+ 出力 10</translation>
    </message>
    <message>
        <source>dropout</source>
        <translation>ドロップアウト</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>数値型</translation>
    </message>
    <message>
        <source>lecture: the original program&apos;s hyperparameters; fast: 99% in 4 epochs</source>
        <translation>lecture: 元のプログラムのハイパーパラメータ、fast: 4 エポックで 99%</translation>
    </message>
    <message>
        <source>Learning rate on the mean loss, positive (0.01, 1e-3); can be changed while training</source>
        <translation>誤差の平均に対する学習率、正の数（0.01, 1e-3）。学習中にも変えられます</translation>
    </message>
    <message>
        <source>Classical momentum, in [0, 1); can be changed while training</source>
        <translation>モーメント法のモーメント、[0, 1) の範囲。学習中にも変えられます</translation>
    </message>
    <message>
        <source>constant, or cosine decay to 0 over the run (a hand-set rate ends it)</source>
        <translation>constant: 一定、cosine: 学習全体でコサイン曲線に沿って 0 まで減衰（学習率を手で変えると終わります）</translation>
    </message>
    <message>
        <source>Minibatch size</source>
        <translation>ミニバッチサイズ</translation>
    </message>
    <message>
        <source>Passes over the training images</source>
        <translation>訓練画像全体を学習する回数</translation>
    </message>
    <message>
        <source>Save the parameters every N steps (0: start and end only)</source>
        <translation>N ステップごとにパラメータを保存（0: 最初と最後だけ）</translation>
    </message>
    <message>
        <source>Also evaluate on the test images every N steps (0: each epoch)</source>
        <translation>N ステップごとにもテスト画像で評価（0: エポックごと）</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>学習</translation>
    </message>
    <message>
        <source>preset</source>
        <translation>プリセット</translation>
    </message>
    <message>
        <source>lr schedule</source>
        <translation>学習率の変化</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>ミニバッチサイズ</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <source>snapshot every</source>
        <translation>スナップショット間隔</translation>
    </message>
    <message>
        <source>evaluate every</source>
        <translation>評価の間隔</translation>
    </message>
    <message>
        <source>Add conv layer (at most {n})</source>
        <translation>畳み込み層を追加（最大 {n}）</translation>
    </message>
    <message>
        <source>A run has at most {n} conv layers: remove one to add another.</source>
        <translation>畳み込み層は最大 {n} 層です。追加するには 1 つ削除してください。</translation>
    </message>
    <message>
        <source>Add a conv layer after the last one</source>
        <translation>最後の層の後に畳み込み層を追加</translation>
    </message>
    <message>
        <source>A run needs at least one conv layer</source>
        <translation>学習には畳み込み層が少なくとも 1 つ必要です</translation>
    </message>
    <message>
        <source>The {name} must be a number such as {example}, not {text!r}.</source>
        <translation>{name}は {example} のような数にしてください（{text!r} ではなく）。</translation>
    </message>
    <message>
        <source>Type a {name}, such as {example}.</source>
        <translation>{name}を {example} のように入力してください。</translation>
    </message>
    <message>
        <source>The batch size {batch:,} is larger than the {n:,} training images: every step uses all {n:,} as one batch.</source>
        <translation>ミニバッチサイズ {batch:,} は訓練画像の枚数 {n:,} より大きいので、毎ステップ {n:,} 枚すべてを 1 つのミニバッチとして使います。</translation>
    </message>
    <message>
        <source>Fix this to start:</source>
        <translation>開始するにはこれを直してください:</translation>
    </message>
    <message>
        <source>Fix these {n} problems to start:</source>
        <translation>開始するには次の {n} 個の問題を直してください:</translation>
    </message>
    <message>
        <source>Shapes: {shapes}</source>
        <translation>形: {shapes}</translation>
    </message>
    <message>
        <source>the {name} must be a number, not {text!r}</source>
        <translation>{name}は数にしてください（{text!r} ではなく）</translation>
    </message>
</context>
<context>
    <name>ConvRow</name>
    <message>
        <source>Remove this conv layer</source>
        <translation>この畳み込み層を削除</translation>
    </message>
    <message>
        <source>Number of filters K</source>
        <translation>フィルタの数 K</translation>
    </message>
    <message>
        <source>Filter size m (m x m)</source>
        <translation>フィルタサイズ m (m x m)</translation>
    </message>
    <message>
        <source>same: zero padding keeps the map size (notes 2.3); valid: no padding (2.2)</source>
        <translation>same: ゼロパディングで特徴マップの大きさを保つ（講義ノート 2.3）、valid: パディングなし（2.2）</translation>
    </message>
    <message>
        <source>2x2 pooling with stride 2 after the ReLU</source>
        <translation>ReLU の後のストライド 2 の 2x2 プーリング</translation>
    </message>
</context>
<context>
    <name>DataChoice</name>
    <message>
        <source>bundled sample (2,000 / 1,000 images)</source>
        <translation>付属のサンプル（2,000 / 1,000 枚）</translation>
    </message>
    <message>
        <source>another folder of IDX files</source>
        <translation>IDX ファイルのある別のフォルダ</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>データ</translation>
    </message>
    <message>
        <source>folder with the four IDX files</source>
        <translation>4 つの IDX ファイルのあるフォルダ</translation>
    </message>
    <message>
        <source>Choose the folder</source>
        <translation>フォルダを選ぶ</translation>
    </message>
    <message>
        <source>Use the first N training images (0: all)</source>
        <translation>最初の N 枚の訓練画像を使う（0: すべて）</translation>
    </message>
    <message>
        <source>Use the first N test images (0: all)</source>
        <translation>最初の N 枚のテスト画像を使う（0: すべて）</translation>
    </message>
    <message>
        <source>source</source>
        <translation>データ元</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>フォルダ</translation>
    </message>
    <message>
        <source>training images</source>
        <translation>訓練画像</translation>
    </message>
    <message>
        <source>test images</source>
        <translation>テスト画像</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>見つかりません</translation>
    </message>
    <message>
        <source>not downloaded</source>
        <translation>ダウンロードしていません</translation>
    </message>
    <message>
        <source>{title} (on disk)</source>
        <translation>{title}（ダウンロード済み）</translation>
    </message>
    <message>
        <source>{title} (download…)</source>
        <translation>{title}（ダウンロード…）</translation>
    </message>
    <message>
        <source>Download {title}…</source>
        <translation>{title} をダウンロード…</translation>
    </message>
    <message>
        <source>About {mb:.0f} MB into {folder}, each file checked ({licence})</source>
        <translation>約 {mb:.0f} MB を {folder} に。各ファイルを検証します（{licence}）</translation>
    </message>
    <message>
        <source>Folder of MNIST IDX files</source>
        <translation>MNIST の IDX ファイルのフォルダ</translation>
    </message>
    <message>
        <source>MNIST is not on this computer yet: press Download MNIST…, set CNNVIZ_DATA, or choose the sample.</source>
        <translation>MNIST はまだこのコンピュータにありません。「MNIST をダウンロード…」を押すか、CNNVIZ_DATA を設定するか、サンプルを選んでください。</translation>
    </message>
    <message>
        <source>{failure} Press Download {title}… to try again, or choose the sample.</source>
        <translation>{failure} もう一度「{title} をダウンロード…」を押すか、サンプルを選んでください。</translation>
    </message>
    <message>
        <source>{title} is not on this computer yet: press Download {title}…, or choose the sample.</source>
        <translation>{title} はまだこのコンピュータにありません。「{title} をダウンロード…」を押すか、サンプルを選んでください。</translation>
    </message>
    <message>
        <source>Choose the folder that holds the four MNIST IDX files.</source>
        <translation>MNIST の 4 つの IDX ファイルのあるフォルダを選んでください。</translation>
    </message>
    <message>
        <source>The sample has {n:,} training images, not {asked:,}.</source>
        <translation>サンプルの訓練画像は {n:,} 枚です（{asked:,} 枚ではなく）。</translation>
    </message>
    <message>
        <source>The folder has {n:,} training images, not {asked:,}.</source>
        <translation>このフォルダの訓練画像は {n:,} 枚です（{asked:,} 枚ではなく）。</translation>
    </message>
    <message>
        <source>The sample has {n:,} test images, not {asked:,}.</source>
        <translation>サンプルのテスト画像は {n:,} 枚です（{asked:,} 枚ではなく）。</translation>
    </message>
    <message>
        <source>The folder has {n:,} test images, not {asked:,}.</source>
        <translation>このフォルダのテスト画像は {n:,} 枚です（{asked:,} 枚ではなく）。</translation>
    </message>
    <message>
        <source>all</source>
        <translation>すべて</translation>
    </message>
</context>
<context>
    <name>EventLines</name>
    <message>
        <source>lr {value:.3g}</source>
        <translation>学習率 {value:.3g}</translation>
    </message>
    <message>
        <source>momentum {value:.3g}</source>
        <translation>モーメント {value:.3g}</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>resumed</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>back to step {value:.0f}</source>
        <translation>ステップ {value:.0f} へ戻る</translation>
    </message>
    <message>
        <source>error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>at chance since step {value:.0f}</source>
        <translation>ステップ {value:.0f} からでたらめと同じ水準</translation>
    </message>
    <message>
        <source>step {step}: {event}</source>
        <translation>ステップ {step}: {event}</translation>
    </message>
</context>
<context>
    <name>LossView</name>
    <message>
        <source>Faint: every minibatch; bold: smoothed; dots: test set. Point at a curve for its values; click or drag the solid line to show another step.</source>
        <translation>薄い線: ミニバッチごと、太い線: 平滑化、点: テストデータ。曲線を指すと値を表示し、クリックするか実線をドラッグすると別のステップを表示します。</translation>
    </message>
    <message>
        <source>What the horizontal axis counts</source>
        <translation>横軸に取る量</translation>
    </message>
    <message>
        <source>Weight of the exponential moving average drawn in bold (0: none)</source>
        <translation>太線で描く指数移動平均の重み（0: 平滑化なし）</translation>
    </message>
    <message>
        <source>log loss</source>
        <translation>対数</translation>
    </message>
    <message>
        <source>Logarithmic loss axis</source>
        <translation>誤差の軸を対数目盛にする</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>全体</translation>
    </message>
    <message>
        <source>Back to the automatic ranges after zooming or panning</source>
        <translation>拡大や移動の後、表示範囲を自動に戻す</translation>
    </message>
    <message>
        <source>x axis</source>
        <translation>横軸</translation>
    </message>
    <message>
        <source>smoothing</source>
        <translation>平滑化</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>誤差</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>正解率</translation>
    </message>
    <message>
        <source>The step shown by every view: drag it, or click a plot</source>
        <translation>すべてのビューが表示するステップ: ドラッグするか、グラフをクリック</translation>
    </message>
    <message>
        <source>The values at the mouse position</source>
        <translation>マウス位置の値</translation>
    </message>
    <message>
        <source>test set</source>
        <translation>テストデータ</translation>
    </message>
    <message>
        <source>step {step} (epoch {epoch:.2f})</source>
        <translation>ステップ {step}（エポック {epoch:.2f}）</translation>
    </message>
    <message>
        <source>loss {loss:.4f} (smoothed {smoothed:.4f})</source>
        <translation>誤差 {loss:.4f}（平滑化 {smoothed:.4f}）</translation>
    </message>
    <message>
        <source>loss {loss:.4f}</source>
        <translation>誤差 {loss:.4f}</translation>
    </message>
    <message>
        <source>batch accuracy {accuracy:.1%}</source>
        <translation>ミニバッチの正解率 {accuracy:.1%}</translation>
    </message>
    <message>
        <source>lr {lr:.3g}</source>
        <translation>学習率 {lr:.3g}</translation>
    </message>
    <message>
        <source>test accuracy {accuracy:.2%}, test loss {loss:.4f} (step {step}{early})</source>
        <translation>テストの正解率 {accuracy:.2%}、誤差 {loss:.4f}（ステップ {step}{early}）</translation>
    </message>
    <message>
        <source>· {run}: loss {loss:.4f} (step {step})</source>
        <translation>· {run}: 誤差 {loss:.4f}（ステップ {step}）</translation>
    </message>
    <message>
        <source>step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <source>images seen</source>
        <translation>学習した画像数</translation>
    </message>
    <message>
        <source>training time</source>
        <translation>学習時間</translation>
    </message>
    <message>
        <source>training time (s)</source>
        <translation>学習時間 (s)</translation>
    </message>
</context>
<context>
    <name>ProgramReference</name>
    <message>
        <source>program</source>
        <translation>プログラム</translation>
    </message>
    <message>
        <source>The appendix program&apos;s printed loss (÷ {batch}, every {every} steps) and its accuracy, {accuracy:.1%} on the first {n:,} test images, in grey</source>
        <translation>付録のプログラムが表示した誤差（÷ {batch}、{every} ステップごと）と、最初のテスト画像 {n:,} 枚での正解率 {accuracy:.1%} を灰色で表示</translation>
    </message>
    <message>
        <source>program {accuracy:.1%}</source>
        <translation>プログラム {accuracy:.1%}</translation>
    </message>
</context>
<context>
    <name>TimelineBar</name>
    <message>
        <source>Play the run from snapshot to snapshot (Space)</source>
        <translation>学習をスナップショットごとに再生 (Space)</translation>
    </message>
    <message>
        <source>Snapshots a second while playing</source>
        <translation>再生中の 1 秒あたりのスナップショット数</translation>
    </message>
    <message>
        <source>The step every view shows (marks: grey snapshots, red evaluations, purple events)</source>
        <translation>すべてのビューが表示するステップ（印: 灰色はスナップショット、赤は評価、紫はイベント）</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>追従</translation>
    </message>
    <message>
        <source>Keep showing the newest step of a run that grows (End)</source>
        <translation>進行中の学習の最新のステップを表示し続ける (End)</translation>
    </message>
    <message>
        <source>&amp;Previous snapshot</source>
        <translation>前のスナップショット(&amp;P)</translation>
    </message>
    <message>
        <source>Go to the previous snapshot</source>
        <translation>前のスナップショットへ移動</translation>
    </message>
    <message>
        <source>&amp;Next snapshot</source>
        <translation>次のスナップショット(&amp;N)</translation>
    </message>
    <message>
        <source>Go to the next snapshot</source>
        <translation>次のスナップショットへ移動</translation>
    </message>
    <message>
        <source>&amp;First step</source>
        <translation>最初のステップ(&amp;F)</translation>
    </message>
    <message>
        <source>Go to the first step (the initial parameters, or where a fork begins)</source>
        <translation>最初のステップ（パラメータの初期値、または続きの学習が始まる所）へ移動</translation>
    </message>
    <message>
        <source>&amp;Follow the newest step</source>
        <translation>最新のステップに追従(&amp;L)</translation>
    </message>
    <message>
        <source>Go to the newest step and stay there</source>
        <translation>最新のステップへ移動してそこに留まる</translation>
    </message>
    <message>
        <source>Play / &amp;pause</source>
        <translation>再生/一時停止(&amp;A)</translation>
    </message>
    <message>
        <source>Play the run from snapshot to snapshot, or pause</source>
        <translation>学習をスナップショットごとに再生、または一時停止</translation>
    </message>
    <message>
        <source>no run</source>
        <translation>学習なし</translation>
    </message>
    <message>
        <source>step 0 · not trained yet</source>
        <translation>ステップ 0 · 未学習</translation>
    </message>
    <message>
        <source>snapshot {n}/{of}</source>
        <translation>スナップショット {n}/{of}</translation>
    </message>
    <message>
        <source>live</source>
        <translation>ライブ</translation>
    </message>
    <message>
        <source>no snapshot</source>
        <translation>スナップショットなし</translation>
    </message>
    <message>
        <source>step {step}/{last} · epoch {epoch} · {where}</source>
        <translation>ステップ {step}/{last} · エポック {epoch} · {where}</translation>
    </message>
</context>
<context>
    <name>problems</name>
    <message>
        <source>a run has {problem}</source>
        <translation>{problem}</translation>
    </message>
</context>
</TS>
