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
</context>
<context>
    <name>problems</name>
    <message>
        <source>a run has {problem}</source>
        <translation>{problem}</translation>
    </message>
</context>
</TS>
