'use client'

import { useEffect, useMemo, useState } from 'react'

/** The locale the first render uses on the server and in the browser (hydration must agree). */
export const DEFAULT_LOCALE = 'en-IN'

/**
 * Number, money and month formatters in the user's locale: `DEFAULT_LOCALE` for the first render,
 * then the browser's own language (`navigator.languages`), so an Indian browser sees ₹1,23,456 and
 * an American one ₹123,456.
 */
export const useFormatters = (currency: string) => {
  const [locale, setLocale] = useState(DEFAULT_LOCALE)
  useEffect(() => {
    const preferred = navigator.languages?.[0] ?? navigator.language
    if (!preferred) return
    try {
      new Intl.NumberFormat(preferred)
      setLocale(preferred)
    } catch {
      // an unknown tag: keep the default
    }
  }, [])
  return useMemo(() => {
    const count = new Intl.NumberFormat(locale)
    const compact = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, notation: 'compact' })
    const money = new Intl.NumberFormat(locale, { currency, maximumFractionDigits: 0, style: 'currency' })
    const compactMoney = new Intl.NumberFormat(locale, { currency, maximumFractionDigits: 1, notation: 'compact', style: 'currency' })
    const percent = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, style: 'percent' })
    const month = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC', year: '2-digit' })
    const monthOnly = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' })
    return {
      compact: (n: number) => compact.format(n),
      compactMoney: (n: number) => compactMoney.format(n),
      count: (n: number) => count.format(n),
      locale,
      money: (n: number) => money.format(n),
      /** `YYYY-MM` → "Jan 26" (the key is already a month in the store's zone). */
      month: (key: string) => month.format(new Date(`${key}-01T00:00:00Z`)),
      /** `YYYY-MM` → "Mar" (short axis labels; the caller adds the year where it changes). */
      monthShort: (key: string) => monthOnly.format(new Date(`${key}-01T00:00:00Z`)),
      percent: (n: number) => percent.format(n),
    }
  }, [currency, locale])
}

export type Formatters = ReturnType<typeof useFormatters>
