'use client'

import React from 'react'
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'

import type { ReportAnswer } from './api.js'

const timeOf = (iso: string, bucketMs: number): string => {
  const date = new Date(iso)
  return bucketMs >= 86_400_000 ? date.toLocaleDateString('en-GB') : date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', ...(bucketMs < 60_000 ? { second: '2-digit' } : {}) })
}

/** Messages sent, delivered and failed per time bucket (`GET /api/campaigns/:id/report`). */
export const DeliveryChart = ({ delivery }: { delivery: ReportAnswer['delivery'] }) => {
  if (delivery.points.length === 0) return null
  const data = delivery.points.map((point) => ({ ...point, time: timeOf(point.at, delivery.bucketMs) }))
  return (
    <figure className="crm-delivery-chart" data-testid="campaign-delivery-chart">
      <figcaption>Delivery over time ({Math.round(delivery.bucketMs / 1000)} s per bar)</figcaption>
      <ResponsiveContainer height={220} width="100%">
        <BarChart data={data} margin={{ bottom: 0, left: 0, right: 8, top: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="time" fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} width={40} />
          <Tooltip />
          <Legend />
          <Bar dataKey="sent" fill="#4f7cac" isAnimationActive={false} name="Sent" />
          <Bar dataKey="delivered" fill="#2e8b57" isAnimationActive={false} name="Delivered" />
          <Bar dataKey="failed" fill="#c0392b" isAnimationActive={false} name="Failed" />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  )
}
