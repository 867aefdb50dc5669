import { repeatsWithin } from './streamRepeats.js'

describe('repeatsWithin', () => {
  it('should chain repeats in row order and keep the last row of each key', () => {
    const { last, repeated } = repeatsWithin([
      { key: 'a', ref: 2 },
      { key: 'b', ref: 3 },
      { key: 'a', ref: 5 },
      { key: null, ref: 6 },
      { key: 'a', ref: 9 },
    ])
    expect(repeated).toEqual([
      { earlier: 2, key: 'a', later: 5 },
      { earlier: 5, key: 'a', later: 9 },
    ])
    expect([...last]).toEqual([
      ['a', 9],
      ['b', 3],
    ])
  })

  it('should skip rows without a key (not written), so they neither replace nor are replaced', () => {
    const { last, repeated } = repeatsWithin([
      { key: 'a', ref: 1 },
      { key: null, ref: 2 },
    ])
    expect(repeated).toEqual([])
    expect([...last]).toEqual([['a', 1]])
    expect(repeatsWithin([])).toEqual({ last: new Map(), repeated: [] })
  })
})
