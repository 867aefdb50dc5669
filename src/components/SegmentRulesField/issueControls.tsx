'use client'

import type { ActionWithRulesAndAddersProps, RuleProps } from 'react-querybuilder'

import React, { useContext } from 'react'
import { ActionElement, Rule } from 'react-querybuilder'

import { SegmentBuilderContext } from './context.js'

const IssueText = ({ messages }: { messages?: string[] }) =>
  messages && messages.length > 0 ? (
    <div className="crm-rule-issue" data-testid="segment-rule-issue" role="alert">
      {messages.join(' · ')}
    </div>
  ) : null

/** A rule, with the validation messages that name it right under it. */
export const RuleWithIssues = (props: RuleProps) => {
  const { issues } = useContext(SegmentBuilderContext)
  return (
    <>
      <Rule {...props} />
      <IssueText messages={issues.get(props.path.join('.'))} />
    </>
  )
}

/** A group's "+ Rule" button, with the messages that name the group (an empty group) beside it. */
export const AddRuleWithIssues = (props: ActionWithRulesAndAddersProps) => {
  const { issues } = useContext(SegmentBuilderContext)
  return (
    <>
      <ActionElement {...props} />
      <IssueText messages={issues.get(`group:${props.path.join('.')}`)} />
    </>
  )
}
