<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
<context>
    <name>Canvas</name>
    <message>
        <source>Draw a digit with the mouse (left button); Ctrl+Z undoes a stroke</source>
        <translation>マウス（左ボタン）で数字を書く。Ctrl+Z で 1 画取り消し</translation>
    </message>
</context>
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
    <name>ConfusionView</name>
    <message>
        <source>true class</source>
        <translation>正解のクラス</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>予測したクラス</translation>
    </message>
    <message>
        <source>show more</source>
        <translation>さらに表示</translation>
    </message>
    <message>
        <source>Add the next {n} images of this cell</source>
        <translation>このセルの次の {n} 枚を追加</translation>
    </message>
    <message>
        <source>Rows: true class, columns: predicted class, colour: the row&apos;s share. Click a cell for its test images, an image to select it in every view.</source>
        <translation>行: 正解のクラス、列: 予測したクラス、色: 行の中の割合。セルをクリックするとそのテスト画像を表示し、画像をクリックするとすべてのビューで選択します。</translation>
    </message>
    <message>
        <source>No evaluation yet.</source>
        <translation>まだ評価していません。</translation>
    </message>
    <message>
        <source>No run.</source>
        <translation>学習がありません。</translation>
    </message>
    <message>
        <source>Step {step} (epoch {epoch}): {right} of {total} test images right ({percent:.1f}%){early}</source>
        <translation>ステップ {step}（エポック {epoch}）: テスト画像 {total} 枚のうち {right} 枚が正解（{percent:.1f}%）{early}</translation>
    </message>
    <message>
        <source>Click a cell to see its test images.</source>
        <translation>セルをクリックするとそのテスト画像を表示します。</translation>
    </message>
    <message>
        <source>True {true}, predicted {predicted} (right): {count} test image</source>
        <translation>正解 {true}、予測 {predicted}（正しい）: テスト画像 {count} 枚</translation>
    </message>
    <message>
        <source>True {true}, predicted {predicted} (right): {count} test images</source>
        <translation>正解 {true}、予測 {predicted}（正しい）: テスト画像 {count} 枚</translation>
    </message>
    <message>
        <source>True {true}, predicted {predicted} (wrong): {count} test image</source>
        <translation>正解 {true}、予測 {predicted}（誤り）: テスト画像 {count} 枚</translation>
    </message>
    <message>
        <source>True {true}, predicted {predicted} (wrong): {count} test images</source>
        <translation>正解 {true}、予測 {predicted}（誤り）: テスト画像 {count} 枚</translation>
    </message>
    <message>
        <source>{head}. Only the probe images are at hand (the session&apos;s test set was not found): {n} of them are here.</source>
        <translation>{head}。手元にあるのはプローブ画像だけです（セッションのテストデータが見つかりませんでした）: ここにあるのはそのうち {n} 枚です。</translation>
    </message>
    <message>
        <source>show {n} more</source>
        <translation>さらに {n} 枚表示</translation>
    </message>
    <message>
        <source>{head}, the first {shown} shown, and {rest} more.</source>
        <translation>{head}。最初の {shown} 枚を表示、残りは {rest} 枚。</translation>
    </message>
    <message>
        <source>{head}.</source>
        <translation>{head}。</translation>
    </message>
    <message>
        <source>{image}: label {label}, predicted {predicted} with probability {p:.3f} (step {step})</source>
        <translation>{image}: 正解 {label}、予測 {predicted}、確率 {p:.3f}（ステップ {step}）</translation>
    </message>
    <message>
        <source>{text}; most probable: {top}</source>
        <translation>{text}。確率の高い順: {top}</translation>
    </message>
    <message>
        <source>True {true}, predicted {predicted}: {count} of the {row} test images of class {true} ({percent:.1f}%). Click to see them.</source>
        <translation>正解 {true}、予測 {predicted}: クラス {true} のテスト画像 {row} 枚のうち {count} 枚（{percent:.1f}%）。クリックすると表示します。</translation>
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
    <name>DrawView</name>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp);;All files (*)</source>
        <translation>画像 (*.png *.jpg *.jpeg *.bmp);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Undo the last stroke (Ctrl+Z)</source>
        <translation>最後の 1 画を取り消す (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>消去</translation>
    </message>
    <message>
        <source>Clear the canvas (undo brings it back)</source>
        <translation>キャンバスを消去（元に戻すで戻せます）</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>画像を開く…</translation>
    </message>
    <message>
        <source>Open a PNG, JPEG or BMP image of a digit (File &gt; Open image…, Ctrl+I)</source>
        <translation>数字の PNG, JPEG, BMP 画像を開く（ファイル &gt; 画像を開く…, Ctrl+I）</translation>
    </message>
    <message>
        <source>network input</source>
        <translation>ネットワークへの入力</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>確率</translation>
    </message>
    <message>
        <source>Draw a digit on the black square with the mouse, or open an image. It is prepared like MNIST&apos;s: scaled to fit 20×20, centred by its mass.</source>
        <translation>黒い正方形にマウスで数字を書くか、画像を開いてください。MNIST と同じように 20×20 に収まるよう縮小し、重心で中央に置きます。</translation>
    </message>
    <message>
        <source>No network yet: start a run or open a session to see what it says.</source>
        <translation>まだネットワークがありません。学習を開始するかセッションを開くと、その予測を表示します。</translation>
    </message>
    <message>
        <source>a {guess}?  ({percent:.0f}%)</source>
        <translation>{guess} ？  ({percent:.0f}%)</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>ステップ {step}</translation>
    </message>
    <message>
        <source>Step {step}: {guess} with probability {p:.3f}, then {others}. Every view shows this drawing.</source>
        <translation>ステップ {step}: {guess} の確率 {p:.3f}、次は {others}。すべてのビューがこの手書きを表示します。</translation>
    </message>
    <message>
        <source>Open an image of a digit</source>
        <translation>数字の画像を開く</translation>
    </message>
    <message>
        <source>Cannot open the image</source>
        <translation>画像を開けません</translation>
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
    <name>ImageChooser</name>
    <message>
        <source>Probe images: test images the run follows, two of each class</source>
        <translation>プローブ画像: 学習を通して追うテスト画像、各クラス 2 枚</translation>
    </message>
    <message>
        <source>test #</source>
        <translation>テスト #</translation>
    </message>
    <message>
        <source>Any test image by its number</source>
        <translation>番号で任意のテスト画像</translation>
    </message>
    <message>
        <source>digit {label}, #{index}</source>
        <translation>数字 {label}, #{index}</translation>
    </message>
    <message>
        <source>Only the probe images are at hand (the session&apos;s test set was not found)</source>
        <translation>手元にあるのはプローブ画像だけです（セッションのテストデータが見つかりませんでした）</translation>
    </message>
    <message>
        <source>digit {label}</source>
        <translation>数字 {label}</translation>
    </message>
    <message>
        <source>your drawing, a {label}</source>
        <translation>あなたの手書き、{label}</translation>
    </message>
    <message>
        <source>test image #{index}, a {label}</source>
        <translation>テスト画像 #{index}、{label}</translation>
    </message>
</context>
<context>
    <name>ImageFile</name>
    <message>
        <source>{path} shows no digit: every pixel has the background&apos;s colour.</source>
        <translation>{path} には数字がありません。すべての画素が背景の色です。</translation>
    </message>
    <message>
        <source>{path} does not exist or is not a file.</source>
        <translation>{path} が存在しないか、ファイルではありません。</translation>
    </message>
    <message>
        <source>{path} is empty (0 bytes), not an image.</source>
        <translation>{path} は空（0 バイト）で、画像ではありません。</translation>
    </message>
    <message>
        <source>its data cannot be decoded</source>
        <translation>データを復号できません</translation>
    </message>
    <message>
        <source>{path} cannot be read as an image ({why}).</source>
        <translation>{path} を画像として読めません（{why}）。</translation>
    </message>
    <message>
        <source>{path} is not an image that can be read (PNG, JPEG or BMP).</source>
        <translation>{path} は読める画像（PNG, JPEG, BMP）ではありません。</translation>
    </message>
    <message>
        <source>{path} is too large: {width} × {height} pixels, more than {mp} megapixels.</source>
        <translation>{path} は大きすぎます: {width} × {height} 画素で、{mp} メガ画素を超えています。</translation>
    </message>
</context>
<context>
    <name>LayerBox</name>
    <message>
        <source>The conv layer (the same in every view)</source>
        <translation>畳み込み層（すべてのビューで共通）</translation>
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
    <name>PredictionsView</name>
    <message>
        <source>Click an image to see the probability of every class: green bar = the true class, red = a wrong guess.</source>
        <translation>画像をクリックすると各クラスの確率を表示します: 緑の棒 = 正解のクラス、赤 = 誤った予測。</translation>
    </message>
    <message>
        <source>all images</source>
        <translation>すべての画像</translation>
    </message>
    <message>
        <source>right in A, wrong in B</source>
        <translation>A で正解、B で誤り</translation>
    </message>
    <message>
        <source>right in B, wrong in A</source>
        <translation>B で正解、A で誤り</translation>
    </message>
    <message>
        <source>Compare mode: the test images one run gets right and the other wrong, at the cursor&apos;s evaluations</source>
        <translation>比較: 一方の学習が正解し、もう一方が誤るテスト画像（カーソル位置の評価で）</translation>
    </message>
    <message>
        <source>misclassified only</source>
        <translation>誤りのみ</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>確率</translation>
    </message>
    <message>
        <source>class</source>
        <translation>クラス</translation>
    </message>
    <message>
        <source>No run B: add a session to compare (File menu).</source>
        <translation>学習 B がありません。比較するセッションを追加してください（ファイル メニュー）。</translation>
    </message>
    <message>
        <source>Run A has no evaluation at or before step {step} yet.</source>
        <translation>学習 A にはステップ {step} 以前の評価がまだありません。</translation>
    </message>
    <message>
        <source>Run B ({file}) has no evaluation at or before step {step}.</source>
        <translation>学習 B（{file}）にはステップ {step} 以前の評価がありません。</translation>
    </message>
    <message>
        <source>Run B ({file}) was evaluated on other test images ({b}) than run A ({a}): their predictions cannot be compared.</source>
        <translation>学習 B（{file}）は学習 A（{a} 枚）とは別のテスト画像（{b} 枚）で評価されているので、予測を比較できません。</translation>
    </message>
    <message>
        <source>no evaluation yet</source>
        <translation>まだ評価していません</translation>
    </message>
    <message>
        <source>step {step}: {percent:.1f}% right, {wrong} of {n} wrong{early}</source>
        <translation>ステップ {step}: 正解率 {percent:.1f}%、{n} 枚のうち {wrong} 枚が誤り{early}</translation>
    </message>
    <message>
        <source>A step {a}, B step {b}: {a_only} right in A only, {b_only} right in B only</source>
        <translation>A ステップ {a}、B ステップ {b}: A だけ正解 {a_only} 枚、B だけ正解 {b_only} 枚</translation>
    </message>
    <message>
        <source>page {page}/{pages}</source>
        <translation>{page}/{pages} ページ</translation>
    </message>
    <message>
        <source>{image}: image not at hand</source>
        <translation>{image}: 画像が手元にありません</translation>
    </message>
    <message>
        <source>{image} (step {step})</source>
        <translation>{image}（ステップ {step}）</translation>
    </message>
    <message>
        <source>{image}, label {label} (step {step})</source>
        <translation>{image}、正解 {label}（ステップ {step}）</translation>
    </message>
    <message>
        <source>{image}: label {label}, predicted {predicted} with probability {p:.3f} (step {step})</source>
        <translation>{image}: 正解 {label}、予測 {predicted}、確率 {p:.3f}（ステップ {step}）</translation>
    </message>
    <message>
        <source>{image}: label {label}</source>
        <translation>{image}: 正解 {label}</translation>
    </message>
    <message>
        <source>{text}; run B: {predicted} (step {step})</source>
        <translation>{text}。学習 B: {predicted}（ステップ {step}）</translation>
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
