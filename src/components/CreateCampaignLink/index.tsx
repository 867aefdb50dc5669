'use client'

import type { DefaultCellComponentProps } from 'payload'

import { useAuth, useConfig, useDocumentInfo } from '@payloadcms/ui'
import { formatAdminURL } from 'payload/shared'
import React from 'react'

import { hasRole } from '../../access/roles.js'
import { SLUGS } from '../../collections/slugs.js'

/** The campaign create view with this segment chosen (the campaign's `segment` defaults from `?segment=`). */
const useCampaignHref = (id: null | number | string | undefined): null | string => {
  const { config } = useConfig()
  const { user } = useAuth()
  if (id === null || id === undefined || id === '') return null
  if (!hasRole(user as { roles?: string[] } | null, 'admin', 'marketer')) return null
  return formatAdminURL({ adminRoute: config.routes.admin, path: `/collections/${SLUGS.campaigns}/create?segment=${encodeURIComponent(String(id))}`, relative: true })
}

/** List column: "Create campaign" for the row's segment (admins and marketers). */
export const CreateCampaignCell = ({ rowData }: DefaultCellComponentProps) => {
  const href = useCampaignHref(rowData?.id as number | string | undefined)
  return href ? (
    <a data-testid="segment-create-campaign" href={href} onClick={(event) => event.stopPropagation()}>
      Create campaign
    </a>
  ) : null
}

/** Edit view (sidebar): "Create campaign for this segment", once the segment is saved. */
export const CreateCampaignField = () => {
  const { id } = useDocumentInfo()
  const href = useCampaignHref(id)
  return href ? (
    <div className="field-type" data-testid="segment-create-campaign-field" style={{ marginBottom: 16 }}>
      <a className="btn btn--style-secondary btn--size-small" data-testid="segment-create-campaign" href={href}>
        Create campaign for this segment
      </a>
    </div>
  ) : null
}
