import { ExportCsvButton as ExportCsvButton_1f5fd7dd2e96f26a39ea7d5a30638bd0 } from 'mini-crm/client'
import { DescribeAudienceField as DescribeAudienceField_1f5fd7dd2e96f26a39ea7d5a30638bd0 } from 'mini-crm/client'
import { SegmentRulesField as SegmentRulesField_1f5fd7dd2e96f26a39ea7d5a30638bd0 } from 'mini-crm/client'
import { CreateCampaignCell as CreateCampaignCell_1f5fd7dd2e96f26a39ea7d5a30638bd0 } from 'mini-crm/client'
import { CreateCampaignField as CreateCampaignField_1f5fd7dd2e96f26a39ea7d5a30638bd0 } from 'mini-crm/client'
import { SegmentMembersLink as SegmentMembersLink_97df5ec8a6267f7104ad214926c85df7 } from 'mini-crm/rsc'
import { CampaignMessageHelpField as CampaignMessageHelpField_1f5fd7dd2e96f26a39ea7d5a30638bd0 } from 'mini-crm/client'
import { SuggestMessagesField as SuggestMessagesField_1f5fd7dd2e96f26a39ea7d5a30638bd0 } from 'mini-crm/client'
import { CampaignEditorField as CampaignEditorField_1f5fd7dd2e96f26a39ea7d5a30638bd0 } from 'mini-crm/client'
import { CampaignStatCell as CampaignStatCell_1f5fd7dd2e96f26a39ea7d5a30638bd0 } from 'mini-crm/client'
import { CampaignSummaryField as CampaignSummaryField_1f5fd7dd2e96f26a39ea7d5a30638bd0 } from 'mini-crm/client'
import { GoogleSignInButton as GoogleSignInButton_1f5fd7dd2e96f26a39ea7d5a30638bd0 } from 'mini-crm/client'
import { CrmNavLinks as CrmNavLinks_1f5fd7dd2e96f26a39ea7d5a30638bd0 } from 'mini-crm/client'
import { CrmDashboard as CrmDashboard_97df5ec8a6267f7104ad214926c85df7 } from 'mini-crm/rsc'
import { CrmImportView as CrmImportView_97df5ec8a6267f7104ad214926c85df7 } from 'mini-crm/rsc'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "mini-crm/client#ExportCsvButton": ExportCsvButton_1f5fd7dd2e96f26a39ea7d5a30638bd0,
  "mini-crm/client#DescribeAudienceField": DescribeAudienceField_1f5fd7dd2e96f26a39ea7d5a30638bd0,
  "mini-crm/client#SegmentRulesField": SegmentRulesField_1f5fd7dd2e96f26a39ea7d5a30638bd0,
  "mini-crm/client#CreateCampaignCell": CreateCampaignCell_1f5fd7dd2e96f26a39ea7d5a30638bd0,
  "mini-crm/client#CreateCampaignField": CreateCampaignField_1f5fd7dd2e96f26a39ea7d5a30638bd0,
  "mini-crm/rsc#SegmentMembersLink": SegmentMembersLink_97df5ec8a6267f7104ad214926c85df7,
  "mini-crm/client#CampaignMessageHelpField": CampaignMessageHelpField_1f5fd7dd2e96f26a39ea7d5a30638bd0,
  "mini-crm/client#SuggestMessagesField": SuggestMessagesField_1f5fd7dd2e96f26a39ea7d5a30638bd0,
  "mini-crm/client#CampaignEditorField": CampaignEditorField_1f5fd7dd2e96f26a39ea7d5a30638bd0,
  "mini-crm/client#CampaignStatCell": CampaignStatCell_1f5fd7dd2e96f26a39ea7d5a30638bd0,
  "mini-crm/client#CampaignSummaryField": CampaignSummaryField_1f5fd7dd2e96f26a39ea7d5a30638bd0,
  "mini-crm/client#GoogleSignInButton": GoogleSignInButton_1f5fd7dd2e96f26a39ea7d5a30638bd0,
  "mini-crm/client#CrmNavLinks": CrmNavLinks_1f5fd7dd2e96f26a39ea7d5a30638bd0,
  "mini-crm/rsc#CrmDashboard": CrmDashboard_97df5ec8a6267f7104ad214926c85df7,
  "mini-crm/rsc#CrmImportView": CrmImportView_97df5ec8a6267f7104ad214926c85df7,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
