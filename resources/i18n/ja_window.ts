<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
<context>
    <name>Compare</name>
    <message>
        <source>A − B needs the same architecture: run A&apos;s input is {a}, run B&apos;s {b}.</source>
        <translation>A − B には同じネットワーク構成が必要です: 学習 A の入力は {a}、学習 B は {b} です。</translation>
    </message>
    <message>
        <source>A − B needs the same architecture: run A has {a} conv layers, run B {b}.</source>
        <translation>A − B には同じネットワーク構成が必要です: 学習 A の畳み込み層は {a} 層、学習 B は {b} 層です。</translation>
    </message>
    <message>
        <source>{k} filters of {m}×{m} ({padding}, {pooling} pooling)</source>
        <translation>{m}×{m} のフィルタ {k} 個（{padding}、{pooling} プーリング）</translation>
    </message>
    <message>
        <source>A − B needs the same architecture: conv{l} of run A has {a}, run B&apos;s {b}.</source>
        <translation>A − B には同じネットワーク構成が必要です: 学習 A の conv{l} は {a}、学習 B は {b} です。</translation>
    </message>
    <message>
        <source>A − B needs the same architecture: run A&apos;s fully connected sizes are {a}, run B&apos;s {b}.</source>
        <translation>A − B には同じネットワーク構成が必要です: 学習 A の全結合層のサイズは {a}、学習 B は {b} です。</translation>
    </message>
    <message>
        <source>Add sessions to compare</source>
        <translation>比較するセッションを追加</translation>
    </message>
    <message>
        <source>cnnviz sessions (*.h5);;All files (*)</source>
        <translation>cnnviz のセッション (*.h5);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>A fork of another run</source>
        <translation>別の学習の続き</translation>
    </message>
    <message>
        <source>{fork} continues {parent} from step {step}. Show the two runs together?</source>
        <translation>{fork} は {parent} のステップ {step} からの続きです。2つの学習を並べて表示しますか？</translation>
    </message>
    <message>
        <source>Compare with its parent</source>
        <translation>親の学習と比較</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>今はしない</translation>
    </message>
    <message>
        <source>Run B: the compared run</source>
        <translation>学習 B: 比較する学習</translation>
    </message>
</context>
<context>
    <name>Comparison</name>
    <message>
        <source>preset</source>
        <translation>プリセット</translation>
    </message>
    <message>
        <source>input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>conv</source>
        <translation>畳み込み層</translation>
    </message>
    <message>
        <source>filter size</source>
        <translation>フィルタサイズ</translation>
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
        <source>fc</source>
        <translation>全結合層</translation>
    </message>
    <message>
        <source>dropout</source>
        <translation>ドロップアウト</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>ミニバッチ</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>学習率</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>モーメント</translation>
    </message>
    <message>
        <source>schedule</source>
        <translation>学習率の変化</translation>
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
        <source>eval every</source>
        <translation>評価の間隔</translation>
    </message>
    <message>
        <source>snapshot every</source>
        <translation>スナップショットの間隔</translation>
    </message>
    <message>
        <source>probes</source>
        <translation>プローブ画像</translation>
    </message>
    <message>
        <source>{name} cannot be compared: no run is shown to compare it with.</source>
        <translation>{name} は比較できません: 比較の相手となる学習が表示されていません。</translation>
    </message>
    <message>
        <source>{path} is already shown.</source>
        <translation>{path} はすでに表示しています。</translation>
    </message>
    <message>
        <source>main run</source>
        <translation>主の学習</translation>
    </message>
</context>
<context>
    <name>Data</name>
    <message>
        <source>Cannot use {n} training examples: {source} has {available}.</source>
        <translation>訓練データを {n} 個は使えません: {source} には {available} 個しかありません。</translation>
    </message>
    <message>
        <source>Cannot use {n} test examples: {source} has {available}.</source>
        <translation>テストデータを {n} 個は使えません: {source} には {available} 個しかありません。</translation>
    </message>
    <message>
        <source>{path} does not exist or is not a file.</source>
        <translation>{path} は存在しないか、ファイルではありません。</translation>
    </message>
    <message>
        <source>{path} cannot be read or decompressed ({why}).</source>
        <translation>{path} を読み込めないか、展開できません（{why}）。</translation>
    </message>
    <message>
        <source>{path} holds {shape} values, which need {needed} of memory, more than the {available} available.</source>
        <translation>{path} には {shape} 個の値があり、{needed} のメモリが必要ですが、使えるのは {available} だけです。</translation>
    </message>
    <message>
        <source>{path} is empty.</source>
        <translation>{path} は空です。</translation>
    </message>
    <message>
        <source>{path} is not an IDX file (magic number 0x{magic}).</source>
        <translation>{path} は IDX ファイルではありません（マジックナンバー 0x{magic}）。</translation>
    </message>
    <message>
        <source>{path} has an unknown IDX data type code 0x{code}.</source>
        <translation>{path} の IDX データ型コード 0x{code} は不明です。</translation>
    </message>
    <message>
        <source>{path} is an IDX file with zero dimensions.</source>
        <translation>{path} は次元数が 0 の IDX ファイルです。</translation>
    </message>
    <message>
        <source>{path} is truncated: its IDX header ends early.</source>
        <translation>{path} は途中で切れています: IDX ヘッダーが途中で終わっています。</translation>
    </message>
    <message>
        <source>{path} is truncated: shape {shape} needs {expected} bytes of data, more than its {compressed} compressed bytes can hold.</source>
        <translation>{path} は途中で切れています: 形 {shape} には {expected} バイトのデータが必要ですが、圧縮された {compressed} バイトにはそれだけ入りません。</translation>
    </message>
    <message>
        <source>{path} is too long: shape {shape} needs {expected} bytes of data, the file has more.</source>
        <translation>{path} は長すぎます: 形 {shape} に必要なデータは {expected} バイトですが、ファイルにはそれより多くあります。</translation>
    </message>
    <message>
        <source>{path} has impossible IDX sizes {shape}: no array is that large.</source>
        <translation>{path} の IDX のサイズ {shape} はありえません: そこまで大きな配列はありません。</translation>
    </message>
    <message>
        <source>{path} is truncated: shape {shape} needs {expected} bytes of data, the file has {found}.</source>
        <translation>{path} は途中で切れています: 形 {shape} には {expected} バイトのデータが必要ですが、ファイルには {found} バイトしかありません。</translation>
    </message>
    <message>
        <source>{path} is too long: shape {shape} needs {expected} bytes of data, the file has {found}.</source>
        <translation>{path} は長すぎます: 形 {shape} に必要なデータは {expected} バイトですが、ファイルには {found} バイトあります。</translation>
    </message>
    <message>
        <source>{folder} is not a directory.</source>
        <translation>{folder} はフォルダではありません。</translation>
    </message>
    <message>
        <source>{folder} has no {name}.gz (nor {name}, {dotted}.gz or {dotted}).</source>
        <translation>{folder} に {name}.gz がありません（{name}、{dotted}.gz、{dotted} もありません）。</translation>
    </message>
    <message>
        <source>{folder} has training images of {train} but test images of {test}; both must be the same size.</source>
        <translation>{folder} の訓練画像は {train}、テスト画像は {test} です。両方が同じ大きさでなければなりません。</translation>
    </message>
    <message>
        <source>{file} holds {dtype} of shape {shape}, not uint8 images (N, height, width).</source>
        <translation>{file} にあるのは形 {shape} の {dtype} で、uint8 の画像 (N, 高さ, 幅) ではありません。</translation>
    </message>
    <message>
        <source>{file} holds {dtype} of shape {shape}, not uint8 labels (N,).</source>
        <translation>{file} にあるのは形 {shape} の {dtype} で、uint8 のラベル (N,) ではありません。</translation>
    </message>
    <message>
        <source>{file} has {n} labels but {images} has {m} images.</source>
        <translation>{file} にはラベルが {n} 個ありますが、{images} には画像が {m} 枚あります。</translation>
    </message>
    <message>
        <source>{file} has a label {label}, outside 0..9.</source>
        <translation>{file} に 0..9 の範囲外のラベル {label} があります。</translation>
    </message>
    <message>
        <source>The bundled MNIST sample {path} cannot be read ({why}).</source>
        <translation>付属の MNIST サンプル {path} を読み込めません（{why}）。</translation>
    </message>
    <message>
        <source>{title} is not downloaded (looked in {folder}): run `cnnviz download --dataset {name}`, or add --download.</source>
        <translation>{title} はダウンロードされていません（{folder} を探しました）: `cnnviz download --dataset {name}` を実行するか、--download を付けてください。</translation>
    </message>
    <message>
        <source>There is no data set called {name}: choose one of {names}.</source>
        <translation>{name} という名前のデータセットはありません: {names} のどれかを選んでください。</translation>
    </message>
    <message>
        <source>{file} cannot be read as UTF-8 text ({why}).</source>
        <translation>{file} を UTF-8 のテキストとして読み込めません（{why}）。</translation>
    </message>
    <message>
        <source>{file} has {n} class names; it needs ten, one a line, for labels 0..9.</source>
        <translation>{file} にはクラス名が {n} 個あります。ラベル 0..9 のために、1 行に 1 つずつ 10 個必要です。</translation>
    </message>
    <message>
        <source>{url} (content does not match its checksum)</source>
        <translation>{url}（内容がチェックサムと一致しません）</translation>
    </message>
    <message>
        <source>{file} appeared while it was downloaded; it was left as it is.</source>
        <translation>ダウンロード中に {file} が現れました。そのままにしてあります。</translation>
    </message>
    <message>
        <source>Cannot write to {folder} to download {title} ({why}).</source>
        <translation>{title} をダウンロードするために {folder} に書き込めません（{why}）。</translation>
    </message>
    <message>
        <source>Could not download a valid {name} from any mirror: {problems}.</source>
        <translation>正しい {name} をどのミラーからもダウンロードできませんでした: {problems}。</translation>
    </message>
    <message>
        <source>{path} is in the way of the download: it exists and is not a file.</source>
        <translation>{path} がダウンロードの邪魔になっています: それは存在していて、ファイルではありません。</translation>
    </message>
    <message>
        <source>{folder} already holds {file}, which is {other}&apos;s, not {title}&apos;s; a download never replaces a file: download {title} into another folder.</source>
        <translation>{folder} にはすでに {file} があり、それは {title} のものではなく {other} のものです。ダウンロードがファイルを置き換えることはありません: {title} は別のフォルダにダウンロードしてください。</translation>
    </message>
    <message>
        <source>{folder} already holds {file}, which is not a copy of {title}&apos;s; a download never replaces a file: download {title} into another folder.</source>
        <translation>{folder} にはすでに {file} があり、それは {title} のものの写しではありません。ダウンロードがファイルを置き換えることはありません: {title} は別のフォルダにダウンロードしてください。</translation>
    </message>
    <message>
        <source>{file} names other classes than {title}&apos;s; a download never replaces a file: download {title} into another folder.</source>
        <translation>{file} には {title} とは別のクラス名が書かれています。ダウンロードがファイルを置き換えることはありません: {title} は別のフォルダにダウンロードしてください。</translation>
    </message>
    <message>
        <source>{folder} exists and is not a directory: give a directory to download {title} into.</source>
        <translation>{folder} は存在していて、フォルダではありません: {title} をダウンロードするフォルダを指定してください。</translation>
    </message>
    <message>
        <source>Cannot create the directory {folder} to download {title} into ({why}).</source>
        <translation>{title} をダウンロードするフォルダ {folder} を作れません（{why}）。</translation>
    </message>
    <message>
        <source>{file} appeared while {folder} was downloaded into; it was left as it is.</source>
        <translation>{folder} へのダウンロード中に {file} が現れました。そのままにしてあります。</translation>
    </message>
    <message>
        <source>{source} is not the data {name} was trained on: its {changes} are not those the session recorded; restore them to continue the run</source>
        <translation>{source} は {name} が学習したデータではありません: その{changes}がセッションに記録されたものと違います。学習を続けるには元に戻してください</translation>
    </message>
    <message>
        <source>{source} has no training images: there is nothing to train on.</source>
        <translation>{source} には訓練画像がありません: 学習するものがありません。</translation>
    </message>
    <message>
        <source>{source} has no test images: there is nothing to evaluate the network on.</source>
        <translation>{source} にはテスト画像がありません: ネットワークを評価するものがありません。</translation>
    </message>
</context>
<context>
    <name>DivergedDialog</name>
    <message>
        <source>The rollback did not recover</source>
        <translation>ロールバックしても回復しませんでした</translation>
    </message>
    <message>
        <source>The loss became NaN</source>
        <translation>誤差が NaN になりました</translation>
    </message>
    <message>
        <source>No snapshot from before the run diverged is left to go back to: stop the run.</source>
        <translation>発散する前のスナップショットが残っていないので戻れません: 学習を停止してください。</translation>
    </message>
    <message>
        <source>Roll back to step {step} again with a lower learning rate, or stop the run.</source>
        <translation>学習率を下げてもう一度ステップ {step} にロールバックするか、学習を停止してください。</translation>
    </message>
    <message>
        <source>The weights were already growing before that step, so lowering the learning rate alone will not help. Roll back to the parameters of step {step} (the last snapshot whose loss was sane) and resume with a lower learning rate, or stop the run.</source>
        <translation>重みはそのステップより前から大きくなり続けていたので、学習率を下げるだけでは直りません。ステップ {step} のパラメータ（誤差が正常だった最後のスナップショット）にロールバックして低い学習率で再開するか、学習を停止してください。</translation>
    </message>
    <message>
        <source>The learning rate to resume with (a tenth of the one in force)</source>
        <translation>再開するときの学習率（今の学習率の10分の1）</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <source>Roll back and resume</source>
        <translation>ロールバックして再開</translation>
    </message>
    <message>
        <source>Stop the run</source>
        <translation>学習を停止</translation>
    </message>
    <message>
        <source>Stay paused</source>
        <translation>一時停止のまま</translation>
    </message>
</context>
<context>
    <name>DownloadDialog</name>
    <message>
        <source>The download of {title} failed ({why}).</source>
        <translation>{title} のダウンロードに失敗しました（{why}）。</translation>
    </message>
    <message>
        <source>Download {name}</source>
        <translation>{name} をダウンロード</translation>
    </message>
    <message>
        <source>Downloading {name} (about {size}) into {folder}</source>
        <translation>{name}（約 {size}）を {folder} にダウンロードしています</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>接続中…</translation>
    </message>
    <message>
        <source>cancelling…</source>
        <translation>キャンセル中…</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} / {total}</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>cannot write {path}</source>
        <translation>{path} に書き込めません</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export {view}</source>
        <translation>{view}を書き出す</translation>
    </message>
    <message>
        <source>Width of the image in pixels ({low} to {high})</source>
        <translation>画像の幅（ピクセル、{low}〜{high}）</translation>
    </message>
    <message>
        <source>Height of the image in pixels ({low} to {high})</source>
        <translation>画像の高さ（ピクセル、{low}〜{high}）</translation>
    </message>
    <message>
        <source>{width} × {height} (view × 2)</source>
        <translation>{width} × {height}（ビュー × 2）</translation>
    </message>
    <message>
        <source>{width} × {height} (a slide)</source>
        <translation>{width} × {height}（スライド）</translation>
    </message>
    <message>
        <source>width</source>
        <translation>幅</translation>
    </message>
    <message>
        <source>height</source>
        <translation>高さ</translation>
    </message>
    <message>
        <source>sizes</source>
        <translation>大きさ</translation>
    </message>
    <message>
        <source>The content of the {view} view (its plots, without its controls) is drawn again at this size.</source>
        <translation>{view}ビューの内容（操作部分を除いたグラフ）をこの大きさで描き直します。</translation>
    </message>
</context>
<context>
    <name>Fork</name>
    <message>
        <source>Continued from step {step} of {name} (created {created}).</source>
        <translation>{name}（{created} 作成）のステップ {step} から続けました。</translation>
    </message>
    <message>
        <source>Its session format version {version} records no optimizer velocity: the momentum&apos;s velocity starts at zero (and the dropout masks differ from the parent&apos;s).</source>
        <translation>セッション形式のバージョン {version} には最適化の速度が記録されていないので、モーメントの速度はゼロから始まります（ドロップアウトのマスクも親の学習とは異なります）。</translation>
    </message>
    <message>
        <source>Its snapshot records no optimizer velocity: the momentum&apos;s velocity starts at zero (and the dropout masks differ from the parent&apos;s).</source>
        <translation>スナップショットに最適化の速度が記録されていないので、モーメントの速度はゼロから始まります（ドロップアウトのマスクも親の学習とは異なります）。</translation>
    </message>
    <message>
        <source>training images</source>
        <translation>訓練画像</translation>
    </message>
    <message>
        <source>training images ({then} then, {now} now)</source>
        <translation>訓練画像（当時 {then} 枚、今 {now} 枚）</translation>
    </message>
    <message>
        <source>test images</source>
        <translation>テスト画像</translation>
    </message>
    <message>
        <source>test images ({then} then, {now} now)</source>
        <translation>テスト画像（当時 {then} 枚、今 {now} 枚）</translation>
    </message>
    <message>
        <source>{first} and {second}</source>
        <translation>{first}と{second}</translation>
    </message>
    <message>
        <source>The fork trains on other data than its parent: the {changes} of {source} are not those {name} recorded.</source>
        <translation>続きの学習は親の学習とは別のデータを使います: {source} の{changes}は {name} が記録したものと違います。</translation>
    </message>
    <message>
        <source>{name} records no digest of its data (an older cnnviz wrote it): whether {source} is the data it was trained on cannot be checked.</source>
        <translation>{name} にはデータのダイジェストが記録されていません（古い cnnviz が書いたファイルです）: {source} が学習に使われたデータかどうかは確かめられません。</translation>
    </message>
    <message>
        <source>With 1 worker thread instead of the parent&apos;s {threads}, the dropout masks differ from the parent&apos;s.</source>
        <translation>ワーカースレッドが親の {threads} ではなく 1 なので、ドロップアウトのマスクは親のものと違います。</translation>
    </message>
    <message>
        <source>With {n} worker threads instead of the parent&apos;s {threads}, the dropout masks differ from the parent&apos;s.</source>
        <translation>ワーカースレッドが親の {threads} ではなく {n} なので、ドロップアウトのマスクは親のものと違います。</translation>
    </message>
</context>
<context>
    <name>ForkBanner</name>
    <message>
        <source>Continue from a snapshot</source>
        <translation>スナップショットから続ける</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Leave fork mode: the form shows again what it showed before</source>
        <translation>続きの学習をやめる: フォームは前の表示に戻る</translation>
    </message>
</context>
<context>
    <name>ForkForm</name>
    <message>
        <source>The architecture of the parent run, with its seed, dtype, preset and data: a fork keeps them.</source>
        <translation>親の学習のネットワーク構成とシード、dtype、プリセット、データ: 続きの学習はこれらを引き継ぎます。</translation>
    </message>
    <message>
        <source>Cannot continue from here</source>
        <translation>ここから続けられません</translation>
    </message>
    <message>
        <source>From step {step} of {name} (epoch {epoch})</source>
        <translation>{name} のステップ {step} から（エポック {epoch}）</translation>
    </message>
    <message>
        <source>A new run starts from that snapshot&apos;s weights, momentum velocity and random state, with the settings below, into a new session file. The epochs count the parent&apos;s (at least {least}).</source>
        <translation>そのスナップショットの重み、モーメントの速度、乱数の状態から、下の設定で新しい学習を始め、新しいセッションファイルに保存します。エポック数は親の学習の分も数えます（{least} 以上）。</translation>
    </message>
    <message>
        <source>Start from step {step}</source>
        <translation>ステップ {step} から開始</translation>
    </message>
    <message>
        <source>Continue {name} from step {step} with these settings (F5)</source>
        <translation>{name} をステップ {step} からこの設定で続ける (F5)</translation>
    </message>
    <message>
        <source>&amp;Start from step {step}</source>
        <translation>ステップ {step} から開始(&amp;S)</translation>
    </message>
    <message>
        <source>Continue {name} from step {step} with the form&apos;s settings (F5)</source>
        <translation>{name} をステップ {step} からフォームの設定で続ける (F5)</translation>
    </message>
    <message>
        <source>Continue from step {step} of {name}: change what you want in the form, then Start; Cancel leaves.</source>
        <translation>{name} のステップ {step} から続けます: フォームで変えたい所を変えて「開始」。「キャンセル」で抜けます。</translation>
    </message>
</context>
<context>
    <name>ForkMode</name>
    <message>
        <source>Continuing {name} from step {step} into a new session file.</source>
        <translation>{name} をステップ {step} から新しいセッションファイルに続けます。</translation>
    </message>
</context>
<context>
    <name>Images</name>
    <message>
        <source>your drawing</source>
        <translation>あなたの手書き</translation>
    </message>
    <message>
        <source>test #{index}</source>
        <translation>テスト #{index}</translation>
    </message>
</context>
<context>
    <name>LiveRun</name>
    <message>
        <source>Training failed</source>
        <translation>学習に失敗しました</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Cannot start</source>
        <translation>開始できません</translation>
    </message>
    <message>
        <source>Fix the settings shown in red: {problems}</source>
        <translation>赤で示した設定を直してください: {problems}</translation>
    </message>
    <message>
        <source>Training paused: {message}</source>
        <translation>学習を一時停止しました: {message}</translation>
    </message>
    <message>
        <source>The session cannot be saved</source>
        <translation>セッションを保存できません</translation>
    </message>
    <message>
        <source>Continue without saving</source>
        <translation>保存せずに続ける</translation>
    </message>
    <message>
        <source>Stop the run</source>
        <translation>学習を停止</translation>
    </message>
    <message>
        <source>Open a session</source>
        <translation>セッションを開く</translation>
    </message>
    <message>
        <source>cnnviz sessions (*.h5);;All files (*)</source>
        <translation>cnnviz のセッション (*.h5);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（まだありません）</translation>
    </message>
    <message>
        <source>cnnviz: watch a CNN learn</source>
        <translation>cnnviz: CNN の学習を見る</translation>
    </message>
    <message>
        <source>Export {view} as PNG</source>
        <translation>{view}を PNG で書き出す</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path} に保存しました</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>書き出せませんでした</translation>
    </message>
    <message>
        <source>Export the window as PNG</source>
        <translation>ウィンドウを PNG で書き出す</translation>
    </message>
    <message>
        <source>Text size {percent}</source>
        <translation>文字の大きさ {percent}</translation>
    </message>
    <message>
        <source>The window speaks {language} from its next start.</source>
        <translation>次回の起動から{language}で表示します。</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;Resume</source>
        <translation>再開(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>一時停止(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;New run</source>
        <translation>新しい学習(&amp;N)</translation>
    </message>
    <message>
        <source>Stop the current run and edit the form for a new one</source>
        <translation>今の学習を止めて、新しい学習の設定を編集する</translation>
    </message>
    <message>
        <source>&amp;Open session…</source>
        <translation>セッションを開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a saved session (.h5) to replay it</source>
        <translation>保存したセッション (.h5) を開いて再生する</translation>
    </message>
    <message>
        <source>Open &amp;example session</source>
        <translation>例のセッションを開く(&amp;E)</translation>
    </message>
    <message>
        <source>Replay a short run that ships with cnnviz</source>
        <translation>cnnviz に付属の短い学習を再生する</translation>
    </message>
    <message>
        <source>Open &amp;image…</source>
        <translation>画像を開く(&amp;I)…</translation>
    </message>
    <message>
        <source>Open a PNG, JPEG or BMP image of a digit: the Draw view shows what the network says it is</source>
        <translation>数字の画像 (PNG, JPEG, BMP) を開く: 手書きビューにネットワークの予測が出る</translation>
    </message>
    <message>
        <source>Add session to &amp;compare…</source>
        <translation>比較するセッションを追加(&amp;C)…</translation>
    </message>
    <message>
        <source>Show other saved sessions beside this run: curves overlaid, filters and predictions compared</source>
        <translation>保存した他のセッションをこの学習と並べて表示する: 曲線を重ね、フィルタと予測を比べる</translation>
    </message>
    <message>
        <source>C&amp;lose comparison</source>
        <translation>比較を閉じる(&amp;L)</translation>
    </message>
    <message>
        <source>Take every compared session away: this run alone again</source>
        <translation>比較中のセッションをすべて外し、この学習だけに戻す</translation>
    </message>
    <message>
        <source>&amp;Export view as PNG…</source>
        <translation>ビューを PNG で書き出す(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the current view (the one last clicked) as a PNG image</source>
        <translation>今のビュー（最後にクリックしたもの）を PNG 画像で保存する</translation>
    </message>
    <message>
        <source>Export &amp;window as PNG…</source>
        <translation>ウィンドウを PNG で書き出す(&amp;W)…</translation>
    </message>
    <message>
        <source>Save the whole window as a PNG image</source>
        <translation>ウィンドウ全体を PNG 画像で保存する</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>Close the window (a run is stopped, its session kept)</source>
        <translation>ウィンドウを閉じる（学習は停止し、セッションは残る）</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>開始(&amp;S)</translation>
    </message>
    <message>
        <source>Start a new run with the form&apos;s settings</source>
        <translation>設定フォームの設定で新しい学習を始める</translation>
    </message>
    <message>
        <source>Pause or resume training</source>
        <translation>学習を一時停止または再開する</translation>
    </message>
    <message>
        <source>Single s&amp;tep</source>
        <translation>1ステップ(&amp;T)</translation>
    </message>
    <message>
        <source>Train one minibatch, then pause</source>
        <translation>ミニバッチを1つ学習して一時停止</translation>
    </message>
    <message>
        <source>St&amp;op</source>
        <translation>停止(&amp;O)</translation>
    </message>
    <message>
        <source>Stop the run (its session is kept)</source>
        <translation>学習を停止する（セッションは残る）</translation>
    </message>
    <message>
        <source>&amp;Continue from here…</source>
        <translation>ここから続ける(&amp;C)…</translation>
    </message>
    <message>
        <source>Start a new run from the snapshot at or before the timeline&apos;s cursor (its weights, velocity and random state), with the settings you change</source>
        <translation>タイムラインのカーソル位置またはその前のスナップショット（重み・速度・乱数の状態）から、変更した設定で新しい学習を始める</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>配置を元に戻す(&amp;R)</translation>
    </message>
    <message>
        <source>Put every view back in its place</source>
        <translation>すべてのビューを元の位置に戻す</translation>
    </message>
    <message>
        <source>Reset &amp;settings</source>
        <translation>設定を元に戻す(&amp;S)</translation>
    </message>
    <message>
        <source>Forget the remembered form and view choices: back to the defaults (or the command line&apos;s options)</source>
        <translation>記憶したフォームとビューの選択を消し、既定値（またはコマンドラインのオプション）に戻す</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>文字を大きく(&amp;L)</translation>
    </message>
    <message>
        <source>Larger text in every view, its axes and captions</source>
        <translation>すべてのビューの文字・軸・説明を大きくする</translation>
    </message>
    <message>
        <source>&amp;Smaller text</source>
        <translation>文字を小さく(&amp;S)</translation>
    </message>
    <message>
        <source>Smaller text in every view, its axes and captions</source>
        <translation>すべてのビューの文字・軸・説明を小さくする</translation>
    </message>
    <message>
        <source>&amp;Normal text size</source>
        <translation>標準の文字の大きさ(&amp;N)</translation>
    </message>
    <message>
        <source>Text at its normal size</source>
        <translation>文字を標準の大きさに戻す</translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>プレゼンテーションモード(&amp;P)</translation>
    </message>
    <message>
        <source>Full screen with large text, for a lecture hall (F11 again: back)</source>
        <translation>講義室向けに大きな文字で全画面表示（もう一度 F11 で戻る）</translation>
    </message>
    <message>
        <source>&amp;Follow a unit to Look inside</source>
        <translation>ユニットを選ぶと「内部を見る」へ(&amp;F)</translation>
    </message>
    <message>
        <source>Clicking a filter in Train shows Look inside, where the Unit view explains how its units are computed</source>
        <translation>「学習」でフィルタをクリックすると「内部を見る」を表示し、ユニットビューがそのユニットの計算を説明する</translation>
    </message>
    <message>
        <source>Count &amp;indices from 1, as the notes do</source>
        <translation>添字を講義ノートと同じく 1 から数える(&amp;I)</translation>
    </message>
    <message>
        <source>Every index in the window (k, i, j, units, pooling winners, test images) counts from 1 as the lecture does; off: from 0, as the code</source>
        <translation>ウィンドウのすべての添字(k, i, j、ユニット、プーリングの勝者、テスト画像)を講義と同じく 1 から数える。オフ: コードと同じく 0 から</translation>
    </message>
    <message>
        <source>{workspace} workspace</source>
        <translation>ワークスペース「{workspace}」</translation>
    </message>
    <message>
        <source>Speak {language} from the next start</source>
        <translation>次回の起動から{language}で表示する</translation>
    </message>
    <message>
        <source>&amp;About cnnviz</source>
        <translation>cnnviz について(&amp;A)</translation>
    </message>
    <message>
        <source>What cnnviz is, where its math comes from, and its keys</source>
        <translation>cnnviz とは何か、その数学の出典、キー操作</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近使ったセッション(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>学習(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Timeline</source>
        <translation>タイムライン(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>Show or hide {view}</source>
        <translation>{view}を表示/非表示</translation>
    </message>
    <message>
        <source>Lan&amp;guage</source>
        <translation>言語(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>学習</translation>
    </message>
    <message>
        <source>Workspaces</source>
        <translation>ワークスペース</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>タイムライン</translation>
    </message>
    <message>
        <source>Getting started</source>
        <translation>はじめに</translation>
    </message>
    <message>
        <source>&lt;b&gt;Not trained yet:&lt;/b&gt; the views show the form&apos;s network at step 0. &lt;a href=&apos;start&apos;&gt;Start&lt;/a&gt; ({start}) trains it; &lt;a href=&apos;example&apos;&gt;File › Open example session&lt;/a&gt; ({example}) replays a finished run.</source>
        <translation>&lt;b&gt;まだ学習していません:&lt;/b&gt; ビューはフォームのネットワークのステップ 0 を表示しています。&lt;a href=&apos;start&apos;&gt;開始&lt;/a&gt; ({start}) で学習し、&lt;a href=&apos;example&apos;&gt;ファイル › 例のセッションを開く&lt;/a&gt; ({example}) で学習済みの例を再生します。</translation>
    </message>
    <message>
        <source>Watch a convolutional neural network learn MNIST, live: a NumPy CNN trained in a background thread, its loss and accuracy, filters, feature maps, max pooling and predictions, every run saved to an HDF5 session file.</source>
        <translation>畳み込みニューラルネットワークが MNIST を学習する様子をその場で見る: バックグラウンドのスレッドで学習する NumPy の CNN、その誤差と正解率、フィルタ、特徴マップ、最大値プーリング、予測。学習はすべて HDF5 のセッションファイルに保存されます。</translation>
    </message>
    <message>
        <source>&lt;b&gt;The math&lt;/b&gt; follows Hitoshi Arai&apos;s lecture notes &lt;i&gt;{notes}&lt;/i&gt; (Ver. 1.5, www.araiweb.matrix.jp/DeepLearning.html): correlation (section 2.2), same-type zero padding (2.3), the forward pass with ReLU and 2x2 max pooling that records the winning positions (3.2), back-propagation (3.3) and the parameter update (3.4). Convolutions are computed with im2col, as in the notes&apos; MATLAB program (Appendix: Cnv2, Im2Col).</source>
        <translation>&lt;b&gt;数学&lt;/b&gt;は新井仁之『{notes}』(Ver. 1.5, www.araiweb.matrix.jp/DeepLearning.html) に従います: 相関積（2.2 節）、same 型のゼロパディング（2.3）、活性化関数 ReLU と最大値の位置を記録する 2x2 の最大値プーリングによる順伝播（3.2）、誤差逆伝播法（3.3）、パラメータの更新（3.4）。畳み込みはノートの MATLAB プログラム（付録: Cnv2, Im2Col）と同じく im2col で計算します。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Data.&lt;/b&gt; The MNIST database of handwritten digits (Yann LeCun, Corinna Cortes, Christopher J.C. Burges), licensed under Creative Commons Attribution-Share Alike 3.0. The bundled sample (2,000 training and 1,000 test images) is a subset shared under the same licence; see resources/MNIST-LICENSE.md. Downloaded on request (Data, source): Fashion-MNIST (Zalando SE; MIT licence) and KMNIST (CODH, adapted from the Kuzushiji Dataset of NIJL and others, doi:10.20676/00000341; CC BY-SA 4.0).</source>
        <translation>&lt;b&gt;データ&lt;/b&gt; 手書き数字の MNIST データベース（Yann LeCun, Corinna Cortes, Christopher J.C. Burges）、Creative Commons Attribution-Share Alike 3.0 ライセンス。付属のサンプル（訓練画像 2,000 枚、テスト画像 1,000 枚）は同じライセンスで共有するその一部です（resources/MNIST-LICENSE.md を参照）。求めに応じてダウンロード（データ、入手元）: Fashion-MNIST（Zalando SE、MIT ライセンス）と KMNIST（CODH、国文学研究資料館ほかの日本古典籍くずし字データセットより作成、doi:10.20676/00000341、CC BY-SA 4.0）。</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>キー操作</translation>
    </message>
    <message>
        <source>About cnnviz</source>
        <translation>cnnviz について</translation>
    </message>
</context>
<context>
    <name>Position</name>
    <message>
        <source>no snapshot yet</source>
        <translation>スナップショットはまだありません</translation>
    </message>
    <message>
        <source>live parameters of step {step}</source>
        <translation>ステップ {step} の学習中のパラメータ</translation>
    </message>
    <message>
        <source>snapshot {i}/{n} (step {step})</source>
        <translation>スナップショット {i}/{n}（ステップ {step}）</translation>
    </message>
    <message>
        <source>no evaluation yet</source>
        <translation>評価はまだありません</translation>
    </message>
    <message>
        <source>evaluation {i}/{n} (step {step})</source>
        <translation>評価 {i}/{n}（ステップ {step}）</translation>
    </message>
</context>
<context>
    <name>ReplaySource</name>
    <message>
        <source>Only the {n} probe images stored in the session can be chosen: its test set ({where}) was not found ({reason}); open it with --data DIR to use another copy.</source>
        <translation>セッションに保存された {n} 枚のプローブ画像だけを選べます: テストデータ（{where}）が見つかりませんでした（{reason}）。別のコピーを使うには --data DIR で開いてください。</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>{path} does not exist.</source>
        <translation>{path} は存在しません。</translation>
    </message>
    <message>
        <source>{path} is a directory, not a session file.</source>
        <translation>{path} はフォルダで、セッションファイルではありません。</translation>
    </message>
    <message>
        <source>{path} cannot be read ({why}).</source>
        <translation>{path} を読めません（{why}）。</translation>
    </message>
    <message>
        <source>{path} is empty, not a cnnviz session file.</source>
        <translation>{path} は空で、cnnviz のセッションファイルではありません。</translation>
    </message>
    <message>
        <source>{path} is not an HDF5 file, so not a cnnviz session.</source>
        <translation>{path} は HDF5 ファイルではないので、cnnviz のセッションではありません。</translation>
    </message>
    <message>
        <source>it has {n} of its {size} bytes</source>
        <translation>{size} バイトのうち {n} バイトしかありません</translation>
    </message>
    <message>
        <source>{path} is truncated: {detail}.</source>
        <translation>{path} は途中で切れています: {detail}。</translation>
    </message>
    <message>
        <source>{path} is damaged and cannot be opened as HDF5 ({detail}).</source>
        <translation>{path} は壊れていて HDF5 として開けません（{detail}）。</translation>
    </message>
    <message>
        <source>{path} is damaged ({why}).</source>
        <translation>{path} は壊れています（{why}）。</translation>
    </message>
    <message>
        <source>an array of shape {shape}</source>
        <translation>形 {shape} の配列</translation>
    </message>
    <message>
        <source>{path} is damaged: its /{group} group&apos;s &apos;{name}&apos; attribute is {shown}, not a whole number 0 or more.</source>
        <translation>{path} は壊れています: /{group} グループの &apos;{name}&apos; 属性が {shown} で、0 以上の整数ではありません。</translation>
    </message>
    <message>
        <source>{path} is damaged: its &apos;{name}&apos; attribute is {shown}, not a whole number 0 or more.</source>
        <translation>{path} は壊れています: &apos;{name}&apos; 属性が {shown} で、0 以上の整数ではありません。</translation>
    </message>
    <message>
        <source>{path} is an HDF5 file but not a cnnviz session (it has no &apos;format&apos; attribute).</source>
        <translation>{path} は HDF5 ファイルですが、cnnviz のセッションではありません（&apos;format&apos; 属性がありません）。</translation>
    </message>
    <message>
        <source>{path} is an HDF5 file but not a cnnviz session (its format is {format}, not {expected}).</source>
        <translation>{path} は HDF5 ファイルですが、cnnviz のセッションではありません（形式が {expected} ではなく {format} です）。</translation>
    </message>
    <message>
        <source>{path} has no valid format version ({version}).</source>
        <translation>{path} には正しい形式バージョンがありません（{version}）。</translation>
    </message>
    <message>
        <source>{path} was written by a newer cnnviz (session format version {version}; cnnviz {cnnviz} reads versions up to {newest}).</source>
        <translation>{path} は新しい cnnviz で書かれています（セッション形式バージョン {version}。cnnviz {cnnviz} が読めるのはバージョン {newest} までです）。</translation>
    </message>
    <message>
        <source>{path} has an invalid format version {version}.</source>
        <translation>{path} の形式バージョン {version} は正しくありません。</translation>
    </message>
    <message>
        <source>{path} is damaged: its status {status} is not one of {statuses}.</source>
        <translation>{path} は壊れています: 状態 {status} が {statuses} のどれでもありません。</translation>
    </message>
    <message>
        <source>{path} has an unreadable configuration ({why}).</source>
        <translation>{path} の設定を読み取れません（{why}）。</translation>
    </message>
    <message>
        <source>{path} is damaged: its &apos;class_names&apos; attribute is not {k} names, one for each class.</source>
        <translation>{path} は壊れています: &apos;class_names&apos; 属性が、クラスごとに 1 つずつの {k} 個の名前ではありません。</translation>
    </message>
    <message>
        <source>{path} is incomplete: it has no /{group} group.</source>
        <translation>{path} は不完全です: /{group} グループがありません。</translation>
    </message>
    <message>
        <source>{path} is incomplete: it has no /{name} dataset.</source>
        <translation>{path} は不完全です: /{name} データセットがありません。</translation>
    </message>
    <message>
        <source>{path} is damaged: /{name} holds arrays of shape {shape}, the configured network&apos;s {param} is {expected}.</source>
        <translation>{path} は壊れています: /{name} の配列の形は {shape} ですが、設定されたネットワークの {param} は {expected} です。</translation>
    </message>
    <message>
        <source>{path} is damaged: /{group} has count {count} but /{short} holds only {n} rows.</source>
        <translation>{path} は壊れています: /{group} の count は {count} ですが、/{short} には {n} 行しかありません。</translation>
    </message>
    <message>
        <source>{path} is damaged: it has {n} steps but {per_epoch} steps an epoch.</source>
        <translation>{path} は壊れています: {n} ステップあるのに、1 エポックが {per_epoch} ステップです。</translation>
    </message>
    <message>
        <source>{path} is damaged: /probe/indices holds indices outside the {n} test images.</source>
        <translation>{path} は壊れています: /probe/indices に {n} 枚のテスト画像の範囲外の番号があります。</translation>
    </message>
    <message>
        <source>{path} is damaged: /probe/labels holds labels outside the {k} classes.</source>
        <translation>{path} は壊れています: /probe/labels に {k} クラスの範囲外のラベルがあります。</translation>
    </message>
    <message>
        <source>{path} is damaged: /{name} claims {rows} rows ({claimed}), more than its {size} can hold.</source>
        <translation>{path} は壊れています: /{name} は {rows} 行（{claimed}）あるとしていますが、{size} のファイルにはそれだけ入りません。</translation>
    </message>
    <message>
        <source>{path} needs {needed} of memory to read its series, more than the {available} available.</source>
        <translation>{path} の系列を読むには {needed} のメモリが必要ですが、使えるのは {available} だけです。</translation>
    </message>
    <message>
        <source>{path} is damaged: /{name} is a link into another file, which a session never holds.</source>
        <translation>{path} は壊れています: /{name} は別のファイルへのリンクで、セッションがそれを持つことはありません。</translation>
    </message>
    <message>
        <source>integers</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>floating-point numbers</source>
        <translation>浮動小数点数</translation>
    </message>
    <message>
        <source>strings</source>
        <translation>文字列</translation>
    </message>
    <message>
        <source>{path} is damaged: /{name} holds {dtype} of shape {shape}, not {what} of shape {wanted}.</source>
        <translation>{path} は壊れています: /{name} にあるのは形 {shape} の {dtype} で、形 {wanted} の{what}ではありません。</translation>
    </message>
    <message>
        <source>{path} is damaged: /{name} cannot be read ({why}).</source>
        <translation>{path} は壊れています: /{name} を読み込めません（{why}）。</translation>
    </message>
    <message>
        <source>{path} {problem}.</source>
        <translation>{path} {problem}。</translation>
    </message>
    <message>
        <source>{path} is damaged: snapshot {i} cannot be read ({why}).</source>
        <translation>{path} は壊れています: スナップショット {i} を読み込めません（{why}）。</translation>
    </message>
    <message>
        <source>{path} is damaged: the training state of snapshot {i} cannot be read ({why}).</source>
        <translation>{path} は壊れています: スナップショット {i} の学習の状態を読み込めません（{why}）。</translation>
    </message>
    <message>
        <source>{path} is damaged: the training state of snapshot {i} cannot be continued ({problem}).</source>
        <translation>{path} は壊れています: スナップショット {i} の学習の状態からは続けられません（{problem}）。</translation>
    </message>
    <message>
        <source>{path} has no snapshot to continue from.</source>
        <translation>{path} には続きを始められるスナップショットがありません。</translation>
    </message>
    <message>
        <source>step {step} is not a snapshot step of {path}: the nearest snapshots are at steps {before} and {after}.</source>
        <translation>ステップ {step} は {path} のスナップショットのステップではありません: 最も近いスナップショットはステップ {before} と {after} にあります。</translation>
    </message>
    <message>
        <source>step {step} is not a snapshot step of {path}: the nearest snapshot is at step {nearest}.</source>
        <translation>ステップ {step} は {path} のスナップショットのステップではありません: 最も近いスナップショットはステップ {nearest} にあります。</translation>
    </message>
    <message>
        <source>{path} is damaged: /predictions/predicted row {j} holds classes outside the {k} classes.</source>
        <translation>{path} は壊れています: /predictions/predicted の {j} 行目に {k} クラスの範囲外のクラスがあります。</translation>
    </message>
    <message>
        <source>{path} exists; a session never overwrites a file: choose another name.</source>
        <translation>{path} はすでにあります。セッションがファイルを上書きすることはありません: 別の名前を選んでください。</translation>
    </message>
    <message>
        <source>a step 0 or more</source>
        <translation>0 以上のステップ</translation>
    </message>
    <message>
        <source>a loss 0 or more</source>
        <translation>0 以上の誤差</translation>
    </message>
    <message>
        <source>a whole number 0 or more</source>
        <translation>0 以上の整数</translation>
    </message>
    <message>
        <source>a fraction between 0 and 1</source>
        <translation>0 から 1 までの割合</translation>
    </message>
    <message>
        <source>an epoch 1 or more</source>
        <translation>1 以上のエポック</translation>
    </message>
    <message>
        <source>a learning rate 0 or more</source>
        <translation>0 以上の学習率</translation>
    </message>
    <message>
        <source>a momentum in [0, 1)</source>
        <translation>[0, 1) のモーメント</translation>
    </message>
    <message>
        <source>a time in seconds 0 or more</source>
        <translation>0 以上の秒数</translation>
    </message>
    <message>
        <source>a speed 0 or more</source>
        <translation>0 以上の速さ</translation>
    </message>
    <message>
        <source>a count 0 or more</source>
        <translation>0 以上の個数</translation>
    </message>
    <message>
        <source>is damaged: /{name} holds {value} at row {row}, not {what}</source>
        <translation>は壊れています: /{name} の {row} 行目が {value} で、{what}ではありません</translation>
    </message>
    <message>
        <source>is damaged: /{name} holds {value}, not {what}</source>
        <translation>は壊れています: /{name} が {value} で、{what}ではありません</translation>
    </message>
    <message>
        <source>is damaged: /{name} is out of order ({value} at row {row} after {before}; its values increase)</source>
        <translation>は壊れています: /{name} の順序が狂っています（{before} の後の {row} 行目が {value} です。値は増え続けるはずです）</translation>
    </message>
    <message>
        <source>is damaged: /{name} is out of order ({value} at row {row} after {before}; its values never fall)</source>
        <translation>は壊れています: /{name} の順序が狂っています（{before} の後の {row} 行目が {value} です。値は減らないはずです）</translation>
    </message>
    <message>
        <source>its epoch {epoch} is not one of the run&apos;s epochs 1 to {epochs}</source>
        <translation>エポック {epoch} が学習のエポック 1 から {epochs} のどれでもありません</translation>
    </message>
    <message>
        <source>its position {position} in the epoch is not between 0 and its {n} training images</source>
        <translation>エポック内の位置 {position} が 0 から訓練画像の数 {n} までの間にありません</translation>
    </message>
    <message>
        <source>its learning rate {lr} is not positive</source>
        <translation>学習率 {lr} が正ではありません</translation>
    </message>
    <message>
        <source>its learning-rate schedule {schedule} is not one of {schedules}</source>
        <translation>学習率のスケジュール {schedule} が {schedules} のどれでもありません</translation>
    </message>
    <message>
        <source>its momentum {momentum} is not in [0, 1)</source>
        <translation>モーメント {momentum} が [0, 1) にありません</translation>
    </message>
    <message>
        <source>No session was saved: {path} was not created.</source>
        <translation>セッションは保存されていません: {path} は作られませんでした。</translation>
    </message>
    <message>
        <source>The session cannot be read either: {problem}</source>
        <translation>セッションも読み込めません: {problem}</translation>
    </message>
    <message>
        <source>no steps</source>
        <translation>ステップなし</translation>
    </message>
    <message>
        <source>step {first}</source>
        <translation>ステップ {first}</translation>
    </message>
    <message>
        <source>steps {first}..{last}</source>
        <translation>ステップ {first}..{last}</translation>
    </message>
    <message>
        <source>no snapshots</source>
        <translation>スナップショットなし</translation>
    </message>
    <message>
        <source>1 snapshot up to step {last}</source>
        <translation>ステップ {last} までのスナップショット 1 個</translation>
    </message>
    <message>
        <source>{k} snapshots up to step {last}</source>
        <translation>ステップ {last} までのスナップショット {k} 個</translation>
    </message>
    <message>
        <source>it opens like an interrupted run</source>
        <translation>中断された学習として開きます</translation>
    </message>
    <message>
        <source>it opens as a complete run</source>
        <translation>完了した学習として開きます</translation>
    </message>
    <message>
        <source>it opens as a stopped run</source>
        <translation>停止した学習として開きます</translation>
    </message>
    <message>
        <source>it opens as a failed run</source>
        <translation>失敗した学習として開きます</translation>
    </message>
    <message>
        <source>The session {path} holds {steps} and {snapshots}; {opens}.</source>
        <translation>セッション {path} には{steps}と{snapshots}が入っています。{opens}。</translation>
    </message>
    <message>
        <source>{cause} while writing the session file {path}.</source>
        <translation>セッションファイル {path} の書き込み中のエラー: {cause}。</translation>
    </message>
</context>
<context>
    <name>ShownRunForm</name>
    <message>
        <source>&amp;New run from these settings</source>
        <translation>この設定で新しい学習(&amp;N)</translation>
    </message>
    <message>
        <source>Start a new run with the form&apos;s settings: the run shown&apos;s, unless you change them (F5)</source>
        <translation>フォームの設定で新しい学習を始める: 変更しなければ表示中の学習の設定 (F5)</translation>
    </message>
    <message>
        <source>The form cannot show this run&apos;s settings: {problem}</source>
        <translation>この学習の設定はフォームに表示できません: {problem}</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>no run</source>
        <translation>学習なし</translation>
    </message>
    <message>
        <source>session: {path}</source>
        <translation>セッション: {path}</translation>
    </message>
    <message>
        <source>no session file</source>
        <translation>セッションファイルなし</translation>
    </message>
    <message>
        <source>loading data…</source>
        <translation>データを読み込み中…</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未開始</translation>
    </message>
    <message>
        <source>the form&apos;s network before training (step 0)</source>
        <translation>学習前のフォームのネットワーク（ステップ 0）</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Run {status}; session saved to {path}</source>
        <translation>学習: {status}。セッションを {path} に保存しました</translation>
    </message>
    <message>
        <source>Run {status}</source>
        <translation>学習: {status}</translation>
    </message>
    <message>
        <source>session: {path} (no longer saved)</source>
        <translation>セッション: {path}（もう保存されません）</translation>
    </message>
    <message>
        <source>epoch {epoch}/{epochs}   step {step}/{steps}   {speed} images/s</source>
        <translation>エポック {epoch}/{epochs}   ステップ {step}/{steps}   {speed} 枚/秒</translation>
    </message>
    <message>
        <source>ETA {time}</source>
        <translation>残り {time}</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>stopping…</source>
        <translation>停止中…</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>running</source>
        <translation>学習中</translation>
    </message>
    <message>
        <source>interrupted (its writer was killed)</source>
        <translation>中断（書き込み中のプロセスが終了）</translation>
    </message>
    <message>
        <source>{status} (being written: following it)</source>
        <translation>{status}（書き込み中: 追従しています）</translation>
    </message>
    <message>
        <source>replay: {status}, {steps} steps, {snapshots} snapshots, {evals} evaluations</source>
        <translation>再生: {status}、{steps} ステップ、スナップショット {snapshots} 個、評価 {evals} 回</translation>
    </message>
</context>
<context>
    <name>Training</name>
    <message>
        <source>; an early evaluation, of the first {n:,} of the {total:,} test images</source>
        <translation>、テスト画像 {total:,} 枚のうち最初の {n:,} 枚での早期の評価</translation>
    </message>
    <message>
        <source>after the rollback to step {step}, whose parameters had given a loss of {before}, the loss stayed at chance for {n} steps ({least} or more; ln {classes} = {chance}): the network stopped learning at learning rate {lr}</source>
        <translation>ステップ {step}（そのパラメータでの誤差は {before}）にロールバックした後、誤差が {n} ステップの間、でたらめに答えるのと同じ水準（{least} 以上。ln {classes} = {chance}）のままでした: 学習率 {lr} ではネットワークの学習が止まっています</translation>
    </message>
    <message>
        <source>the parameters of step {step} restored, the momentum&apos;s velocity reset</source>
        <translation>ステップ {step} のパラメータに戻し、モーメントの速度を 0 にしました</translation>
    </message>
    <message>
        <source>the loss became {loss} at step {step} (learning rate {lr}); the update was not applied</source>
        <translation>ステップ {step} で誤差が {loss} になりました（学習率 {lr}）。この更新は適用していません</translation>
    </message>
    <message>
        <source>{problem}. Roll back to an earlier snapshot with a lower learning rate, or stop.</source>
        <translation>{problem}。前のスナップショットにロールバックして学習率を下げるか、停止してください。</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <source>the session file {path} could not be closed: {why}</source>
        <translation>セッションファイル {path} を閉じられませんでした: {why}</translation>
    </message>
</context>
<context>
    <name>Views</name>
    <message>
        <source>Training controls</source>
        <translation>学習の設定</translation>
    </message>
    <message>
        <source>Loss and accuracy</source>
        <translation>誤差と正解率</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>フィルタ</translation>
    </message>
    <message>
        <source>Feature maps</source>
        <translation>特徴マップ</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>プーリング</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>予測</translation>
    </message>
    <message>
        <source>Confusion</source>
        <translation>混同行列</translation>
    </message>
    <message>
        <source>Filter playground</source>
        <translation>フィルタの実験場</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>ユニット</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>手書き</translation>
    </message>
    <message>
        <source>Back-propagation</source>
        <translation>誤差逆伝播法</translation>
    </message>
    <message>
        <source>Probe history</source>
        <translation>プローブ画像の履歴</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>全体像</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>The session cannot be followed</source>
        <translation>セッションを追従できません</translation>
    </message>
    <message>
        <source>Part of the session cannot be read</source>
        <translation>セッションの一部を読めません</translation>
    </message>
    <message>
        <source>{problem}: the nearest snapshot or evaluation that can be is shown in its place.</source>
        <translation>{problem}: 代わりに、読める中で最も近いスナップショットまたは評価を表示します。</translation>
    </message>
    <message>
        <source>Cannot open the session</source>
        <translation>セッションを開けません</translation>
    </message>
    <message>
        <source>A run is going on: stop it before opening a session.</source>
        <translation>学習の途中です: セッションを開く前に停止してください。</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>{path} を開きました</translation>
    </message>
    <message>
        <source>Cannot compare the session</source>
        <translation>セッションを比較できません</translation>
    </message>
    <message>
        <source>Comparing with {file} ({name})</source>
        <translation>{file}（{name}）と比較しています</translation>
    </message>
    <message>
        <source>Comparison closed</source>
        <translation>比較を閉じました</translation>
    </message>
    <message>
        <source>Cannot continue from here</source>
        <translation>ここから続けられません</translation>
    </message>
    <message>
        <source>Open a session, or let a run end, then place the timeline&apos;s cursor at or after the snapshot to continue from.</source>
        <translation>セッションを開くか学習を終えてから、タイムラインのカーソルを続けたいスナップショットの位置かその後に置いてください。</translation>
    </message>
    <message>
        <source>{path} exists; a session never overwrites a file: choose another --out.</source>
        <translation>{path} はすでにあります。セッションはファイルを上書きしません: 別の --out を指定してください。</translation>
    </message>
    <message>
        <source>Cannot start</source>
        <translation>開始できません</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>一時停止しました</translation>
    </message>
    <message>
        <source>Edit the form and press Start for a new run.</source>
        <translation>フォームを編集し、「開始」で新しい学習を始めてください。</translation>
    </message>
    <message>
        <source>Learning rate {lr} from the next step</source>
        <translation>次のステップから学習率 {lr}</translation>
    </message>
    <message>
        <source>Momentum {momentum} from the next step</source>
        <translation>次のステップからモーメント {momentum}</translation>
    </message>
    <message>
        <source>Rolled back to step {step} with learning rate {lr}</source>
        <translation>ステップ {step} にロールバックしました（学習率 {lr}）</translation>
    </message>
</context>
<context>
    <name>Workspaces</name>
    <message>
        <source>Train</source>
        <translation>学習</translation>
    </message>
    <message>
        <source>The training form, the loss and accuracy, the filters and the predictions</source>
        <translation>学習の設定フォーム、誤差と正解率、フィルタ、予測</translation>
    </message>
    <message>
        <source>Look inside</source>
        <translation>内部を見る</translation>
    </message>
    <message>
        <source>The feature maps, the pooling and the Unit view: how one unit of a layer is computed</source>
        <translation>特徴マップ、プーリング、ユニットビュー: 層の1つのユニットがどう計算されるか</translation>
    </message>
    <message>
        <source>Back-propagation</source>
        <translation>誤差逆伝播法</translation>
    </message>
    <message>
        <source>The deltas and filter gradients of one image, the norms over the run, and the loss</source>
        <translation>1枚の画像のデルタとフィルタの勾配、学習を通したノルム、誤差</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>予測</translation>
    </message>
    <message>
        <source>The predictions, the confusion matrix, your drawing and the probe images&apos; history</source>
        <translation>予測、混同行列、手書きの数字、プローブ画像の履歴</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比較</translation>
    </message>
    <message>
        <source>The runs compared: their curves, filters and predictions</source>
        <translation>比較する学習: 曲線、フィルタ、予測</translation>
    </message>
</context>
<context>
    <name>problems</name>
    <message>
        <source>{name} must be at least 1, not {v}</source>
        <translation>{name}は1以上にしてください（{v} ではなく）</translation>
    </message>
    <message>
        <source>{name} must be 0 or more, not {v}</source>
        <translation>{name}は0以上にしてください（{v} ではなく）</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>ミニバッチサイズ</translation>
    </message>
    <message>
        <source>n probes</source>
        <translation>プローブ画像の数</translation>
    </message>
    <message>
        <source>threads</source>
        <translation>スレッド数</translation>
    </message>
    <message>
        <source>eval every</source>
        <translation>評価の間隔</translation>
    </message>
    <message>
        <source>snapshot every</source>
        <translation>スナップショットの間隔</translation>
    </message>
    <message>
        <source>the learning rate must be positive, not {v}</source>
        <translation>学習率は正の数にしてください（{v} ではなく）</translation>
    </message>
    <message>
        <source>the momentum must be in [0, 1), not {v}</source>
        <translation>モーメントは [0, 1) の範囲にしてください（{v} ではなく）</translation>
    </message>
    <message>
        <source>learning-rate schedule must be one of {names}, not {v}</source>
        <translation>学習率のスケジュールは {names} のいずれかにしてください（{v} ではなく）</translation>
    </message>
    <message>
        <source>dtype must be float32 or float64, not {v}</source>
        <translation>dtype は float32 か float64 にしてください（{v} ではなく）</translation>
    </message>
    <message>
        <source>at most {most} conv layers, not {n}</source>
        <translation>畳み込み層は {most} 層までです（{n} 層ではなく）</translation>
    </message>
    <message>
        <source>expected comma-separated integers such as {example}, not {text}</source>
        <translation>{example} のようにコンマで区切った整数を入力してください（{text} ではなく）</translation>
    </message>
    <message>
        <source>sizes must be positive, not {text}</source>
        <translation>サイズは正の数にしてください（{text} ではなく）</translation>
    </message>
    <message>
        <source>input shape</source>
        <translation>入力の形</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>filter size</source>
        <translation>フィルタサイズ</translation>
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
        <source>a fork keeps its parent&apos;s {name} ({have}); it cannot become {want}</source>
        <translation>続きの学習は親の学習の{name}（{have}）を引き継ぎます: {want} にはできません</translation>
    </message>
    <message>
        <source>a fork keeps its parent&apos;s preset ({preset}): give the settings to change instead (learning rate, momentum, schedule, epochs, dropout, batch size)</source>
        <translation>続きの学習は親の学習のプリセット（{preset}）を引き継ぎます: 代わりに変える設定（学習率、モーメント、スケジュール、エポック数、ドロップアウト、ミニバッチサイズ）を指定してください</translation>
    </message>
    <message>
        <source>a fork cannot change {names}</source>
        <translation>続きの学習では {names} を変えられません</translation>
    </message>
    <message>
        <source>parameters, velocity, gradients and snapshots</source>
        <translation>パラメータ・速度・勾配・スナップショット</translation>
    </message>
    <message>
        <source>activations of {n}-image batches</source>
        <translation>{n} 枚のミニバッチの活性</translation>
    </message>
    <message>
        <source>the {n} images</source>
        <translation>{n} 枚の画像</translation>
    </message>
    <message>
        <source>{what}: {size}</source>
        <translation>{what}: {size}</translation>
    </message>
    <message>
        <source>this run needs about {total} of memory ({spent}), more than the {available} available</source>
        <translation>この学習には約 {total} のメモリが必要で（{spent}）、使える {available} を超えています</translation>
    </message>
    <message>
        <source>the seed must be a whole number, 0 or more, not {seed}</source>
        <translation>シードは0以上の整数にしてください（{seed} ではなく）</translation>
    </message>
    <message>
        <source>the seed must be 0 or more, not {seed}</source>
        <translation>シードは0以上にしてください（{seed} ではなく）</translation>
    </message>
    <message>
        <source>fully connected sizes must be positive and end in the class count, not {fc}</source>
        <translation>全結合層のサイズは正の数で、最後はクラス数にしてください（{fc} ではなく）</translation>
    </message>
    <message>
        <source>the last fully connected layer is the class count and needs at least 2, not {n}</source>
        <translation>最後の全結合層はクラス数で、2以上が必要です（{n} ではなく）</translation>
    </message>
    <message>
        <source>the dropout ratio must be in [0, 1), not {v}</source>
        <translation>ドロップアウト率は [0, 1) の範囲にしてください（{v} ではなく）</translation>
    </message>
    <message>
        <source>{name} needs at least 1 filter</source>
        <translation>{name}にはフィルタが1つ以上必要です</translation>
    </message>
    <message>
        <source>{name}: the filter size must be at least 1, not {m}</source>
        <translation>{name}: フィルタサイズは1以上にしてください（{m} ではなく）</translation>
    </message>
    <message>
        <source>{name}: padding must be one of {names}, not {v}</source>
        <translation>{name}: パディングは {names} のいずれかにしてください（{v} ではなく）</translation>
    </message>
    <message>
        <source>{name}: pooling must be one of {names}, not {v}</source>
        <translation>{name}: プーリングは {names} のいずれかにしてください（{v} ではなく）</translation>
    </message>
    <message>
        <source>{name}: a {m}x{m} filter does not fit its {h}x{w} input with {padding} padding</source>
        <translation>{name}: {m}x{m} のフィルタは {padding} パディングの {h}x{w} の入力に収まりません</translation>
    </message>
    <message>
        <source>{name}: 2x2 pooling of a {h}x{w} map leaves nothing</source>
        <translation>{name}: {h}x{w} のマップを 2x2 でプーリングすると何も残りません</translation>
    </message>
    <message>
        <source>The parent run&apos;s data cannot be found, so it cannot be continued here: {problem}</source>
        <translation>親の学習のデータが見つからないので、ここでは続けられません: {problem}</translation>
    </message>
    <message>
        <source>step {step} ends the {epochs} epochs of {name}: choose {more} epochs or more to go on</source>
        <translation>ステップ {step} で {name} の {epochs} エポックが終わります: 続けるにはエポック数を {more} 以上にしてください</translation>
    </message>
    <message>
        <source>the epochs, which count the parent&apos;s, must be at least {least} to go on from step {step}, not {n}</source>
        <translation>ステップ {step} から続けるには、親の学習の分を含むエポック数を {least} 以上にしてください（{n} ではなく）</translation>
    </message>
    <message>
        <source>the network takes 1 channel of {size} pixels but {source} has training images of {found}</source>
        <translation>ネットワークの入力は {size} ピクセルの 1 チャンネルですが、{source} の訓練画像は {found} です</translation>
    </message>
    <message>
        <source>the network takes 1 channel of {size} pixels but {source} has test images of {found}</source>
        <translation>ネットワークの入力は {size} ピクセルの 1 チャンネルですが、{source} のテスト画像は {found} です</translation>
    </message>
    <message>
        <source>the network takes {n} channels of {size} pixels but {source} has training images of {found}</source>
        <translation>ネットワークの入力は {size} ピクセルの {n} チャンネルですが、{source} の訓練画像は {found} です</translation>
    </message>
    <message>
        <source>the network takes {n} channels of {size} pixels but {source} has test images of {found}</source>
        <translation>ネットワークの入力は {size} ピクセルの {n} チャンネルですが、{source} のテスト画像は {found} です</translation>
    </message>
</context>
</TS>
