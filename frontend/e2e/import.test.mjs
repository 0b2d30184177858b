import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { appPage, artifacts, callApi, launch, repo, startServer } from './helpers.mjs'

let server, browser, page

before(async () => {
  server = await startServer()
  browser = await launch()
  page = await appPage(browser, server, { viewport: { width: 1360, height: 860 } })
})
after(async () => {
  await browser?.close()
  server?.stop()
})

test('create an event, import a GBK CSV, see the rows and the rejection report', async () => {
  await page.goto(server.url + '/#/events')
  // First start: the demo event is open, so the window is never empty.
  await page.getByTestId('event-name').filter({ hasText: '深度行' }).waitFor()

  await page.getByTestId('ev-name').locator('input').fill('深度行·青岛站（测试）')
  const start = page.getByTestId('ev-start').locator('input')
  await start.fill('2026-05-20')
  await start.press('Enter')
  // Places come from the GB/T 2260 list: typed, then chosen.
  await page.getByTestId('ev-city').click()
  await page.keyboard.type('青岛')
  await page.locator('.n-base-select-option', { hasText: '青岛市' }).filter({ visible: true }).first().click()
  await page.getByTestId('ev-create').click()
  await page.getByTestId('participants').waitFor()
  const created = (await callApi(server, 'EventService/Current')).event
  assert.equal(created.cityCode, '370200')
  assert.equal(created.provinceCode, '370000')
  assert.equal(created.province, '山东省')
  await page.getByTestId('event-name').filter({ hasText: '青岛站（测试）' }).waitFor()

  await page.getByTestId('import-open').click()
  await page.getByTestId('import-file').setInputFiles(join(repo, 'app', 'importer', 'testdata', 'participants-gbk.csv'))
  const detected = page.getByTestId('import-detected')
  await detected.waitFor()
  assert.match(await detected.innerText(), /GB18030/)
  assert.match(await detected.innerText(), /200/)
  await page.screenshot({ path: join(artifacts, 'e2e-import-mapping.png') })

  await page.getByTestId('import-run').click()
  await page.getByTestId('import-summary').waitFor()
  assert.equal((await page.getByTestId('sum-imported').innerText()).match(/\d+/)[0], '188')
  assert.equal((await page.getByTestId('sum-rejected').innerText()).match(/\d+/)[0], '8')
  assert.equal((await page.getByTestId('sum-duplicates').innerText()).match(/\d+/)[0], '4')
  const rejected = page.getByTestId('rejected-row')
  assert.equal(await rejected.count(), 8)
  assert.match(await rejected.first().innerText(), /27\s+手机号无效/)
  await page.screenshot({ path: join(artifacts, 'e2e-import-report.png') })

  await page.keyboard.press('Escape')
  await page.getByTestId('import-dialog').waitFor({ state: 'hidden' })
  await page.getByText('共 188 人').waitFor()
  assert.ok((await page.getByTestId('participant-row').count()) > 10)

  // Search narrows the list as you type.
  await page.getByTestId('roster-search').locator('input').fill('周怡萱')
  await page.getByText('共 1 人').waitFor()
  assert.match(await page.getByTestId('participant-row').first().innerText(), /周怡萱/)
  await page.screenshot({ path: join(artifacts, 'e2e-participants.png') })
})

test('a file that is not a spreadsheet gets a clear message and changes nothing', async () => {
  await page.goto(server.url + '/#/participants')
  await page.getByText('共 1 人').waitFor()
  assert.equal(await page.getByTestId('roster-search').locator('input').inputValue(), '周怡萱')
  await page.getByTestId('roster-search').locator('input').fill('')
  await page.getByText('共 188 人').waitFor()
  await page.getByTestId('import-open').click()
  await page.getByTestId('import-file').setInputFiles({ name: '报名表.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\x03\x04 not a workbook') })
  const err = page.getByTestId('import-error')
  await err.waitFor()
  assert.match(await err.innerText(), /Excel/)
  // A phone photo of the sign-in sheet, renamed to .csv.
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200)])
  await page.getByTestId('import-file').setInputFiles({ name: '签到表.csv', mimeType: 'text/csv', buffer: png })
  await err.filter({ hasText: '这不是表格文件' }).waitFor()
  assert.match(await err.innerText(), /图片（PNG）/)
  await page.keyboard.press('Escape')
  await page.getByText('共 188 人').waitFor()
})

test('adding a person by hand refuses a bad mobile in Chinese, then saves', async () => {
  await page.goto(server.url + '/#/participants')
  await page.getByTestId('add-participant').click()
  await page.getByTestId('pf-name').locator('input').fill('张三')
  await page.getByTestId('pf-org').locator('input').fill('青岛大学')
  await page.getByTestId('pf-mobile').locator('input').fill('12345')
  await page.getByTestId('pf-save').click()
  await page.getByTestId('pf-error').filter({ hasText: '手机号' }).waitFor()
  await page.getByTestId('pf-mobile').locator('input').fill('138 0013 8000')
  await page.getByTestId('pf-save').click()
  await page.getByText('共 189 人').waitFor()
})

test('the event file is compacted from the events screen while the event stays open', async () => {
  await page.goto(server.url + '/#/events')
  const usage = page.getByTestId('file-usage')
  await usage.waitFor()
  assert.match(await usage.innerText(), /事件文件 \d+\.\d MB/)
  const before = await callApi(server, 'EventService/FileUsage')
  const people = (await callApi(server, 'EventService/Current')).participants
  await page.getByTestId('compact').click()
  await page.getByText(/已压缩：/).waitFor()
  await page.screenshot({ path: join(artifacts, 'e2e-compacted.png') })
  // Read back: the same event, everyone still there, the file no larger.
  const info = await callApi(server, 'EventService/Current')
  assert.equal(info.event.name, '深度行·青岛站（测试）')
  assert.equal(info.participants, people)
  const after = await callApi(server, 'EventService/FileUsage')
  assert.ok(after.fileBytes <= before.fileBytes, `${after.fileBytes} > ${before.fileBytes}`)
  // The screens go on working on the compacted file.
  await page.goto(server.url + '/#/participants')
  await page.getByTestId('roster-search').locator('input').fill('周怡萱')
  await page.getByText('共 1 人').waitFor()
})

test('a chain name the national list does not know is flagged on import and mapped on the overview', async () => {
  await page.goto(server.url + '/#/participants')
  await page.getByTestId('import-open').click()
  const csv = '姓名,单位名称,手机号,参会类型,产业链\n孔令坤,青岛海创服务有限公司,13953200001,服务机构,综合服务\n单雨桐,青岛精工机械有限公司,13953200002,中小企业,装备制造\n'
  await page.getByTestId('import-file').setInputFiles({ name: '补报.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByTestId('import-detected').waitFor()
  await page.getByTestId('import-run').click()
  const hint = page.getByTestId('import-chains')
  await hint.waitFor()
  assert.match(await hint.innerText(), /有 1 个产业链名称未能自动对应/)
  await hint.getByRole('button', { name: '去核对' }).click()
  const row = page.locator('[data-testid="chain-row"][data-text="综合服务"]')
  await row.waitFor()
  assert.match(await row.innerText(), /待核对/)
  // 装备制造 found its chain by itself.
  assert.match(await page.locator('[data-testid="chain-row"][data-text="装备制造"]').innerText(), /自动对应[\s\S]*高端装备制造/)
  await row.getByTestId('chain-pick').click()
  await page.keyboard.type('相关服务业')
  await page.locator('.n-base-select-option', { hasText: 'SEI09' }).filter({ visible: true }).first().click()
  await page.locator('[data-testid="chain-row"][data-text="综合服务"]').filter({ hasText: '已确认' }).waitFor()
  await page.getByTestId('chain-review').screenshot({ path: join(artifacts, 'e2e-chain-review.png') })
  const review = await callApi(server, 'DictionaryService/ChainReview')
  const mapped = review.find((u) => u.text === '综合服务')
  assert.equal(mapped.code, 'SEI09')
  assert.equal(mapped.state, 'confirmed')
  assert.equal(review.filter((u) => u.state === 'unmapped').length, 0)
})
