import type { enTerms } from './en-terms';

// 领域术语的简体中文名称：阶段、状态、记录种类、字段。

export const zhTerms: typeof enTerms = {
  stages: {
    'public-participation': '公众参与',
    'expert-demonstration': '专家论证',
    'risk-assessment': '风险评估',
    'legality-review': '合法性审查',
    'fairness-review': '公平竞争审查',
    'collective-discussion': '集体讨论决定',
    'publicity-and-hearing': '公示与听证',
  },
  statuses: {
    'in-procedure': '程序进行中', 'returned-for-revision': '退回修改', rejected: '未通过', withdrawn: '已撤回', adopted: '已通过',
    announced: '已公示', published: '已公布', 'in-force': '已施行', suspended: '已暂停执行', terminated: '已终止',
  },
  stageStatuses: { pending: '尚未开始', active: '进行中', passed: '已完成', 'not-applicable': '不适用' },
  assignmentStatuses: { open: '待办', done: '已完成', withdrawn: '已解除' },
  publicDates: { 'comment-closes': '征求意见截止', 'survey-closes': '问卷截止', hearing: '听证会', 'objections-close': '异议期截止', 'enters-into-force': '施行' },
  inForceStatuses: { 'not-in-force': '尚未施行', 'in-force': '施行中', suspended: '暂停执行', terminated: '已终止' },
  changeTypes: { 'urgent-suspension': '紧急暂停执行', resumption: '恢复执行', 'minor-amendment': '一般修改', 'major-amendment': '重大修改', termination: '终止执行' },
  changeStatuses: { 'in-procedure': '程序进行中', effective: '已生效', rejected: '未通过', withdrawn: '已撤回' },
  dispositions: { adopted: '采纳', 'partly-adopted': '部分采纳', 'not-adopted': '不予采纳', pending: '待处理' },
  channels: { email: '电子邮箱', phone: '手机号码' },
  roles: {
    'drafting-official': '决策承办人员', expert: '专家', 'risk-assessor': '风险评估人员', 'legality-reviewer': '合法性审查人员', 'fairness-reviewer': '公平竞争审查人员',
    'meeting-secretary': '会议记录人员', head: '行政首长', supervisor: '监督人员', 'directory-administrator': '机构目录管理员', 'market-entity': '市场主体',
  },
  flagLabels: {
    specialised: '专业性、技术性较强（专家论证）', riskRelevant: '可能影响社会稳定、公共安全、生态环境或财政（风险评估）',
    marketRelated: '涉及市场主体经济活动（公平竞争审查）', livelihood: '重大民生事项（民意调查）', hearingRequired: '依法应当听证', nonDisclosable: '依法不予公开',
  },
  recordKinds: {
    'not-applicable': '不适用', predisclosure: '草案预公开', 'survey-opened': '开始问卷调查', 'window-closed-early': '提前截止', 'comment-window-frozen': '征求意见截止',
    'survey-window-frozen': '问卷调查截止', 'feedback-report': '意见采纳情况说明', assignment: '指派', 'assignment-withdrawn': '解除指派', 'expert-opinion': '专家论证意见',
    'risk-report': '风险评估报告', 'legality-submission': '提请合法性审查', 'legality-review': '合法性审查意见', 'fairness-review': '公平竞争审查结论',
    'discussion-package': '提交集体讨论材料', minutes: '会议纪要', decision: '行政首长决定', announcement: '公示', 'hearing-notice': '听证公告',
    'hearing-record': '听证笔录', 'party-committee-report': '向同级党委请示报告', publication: '公布', withdrawal: '撤回', escalation: '逾期并已督办',
  },
  facts: {
    rule: '依据规则', legalBasis: '法律依据', opensAt: '开始时间', closesAt: '截止时间', urgencyReason: '紧急情况说明', howToComment: '意见提交方式', questions: '问题数量', window: '窗口', reason: '理由',
    opinionsReceived: '收到意见', answersReceived: '收到答卷', digest: '截止时意见集合摘要', report: '说明', opinionsDisposed: '已处理意见', assigned: '指派人数',
    dissentingSlot: '包含持不同意见的专家', dissentSlotReason: '未选持不同意见专家的理由', conclusion: '结论', opinion: '意见', dissent: '不同意见', signedBy: '签署方式',
    noDirectInterest: '声明无直接利害关系', rating: '风险等级', riskPoints: '风险点', measures: '防范措施', contingencyPlan: '处置预案', priorAssessment: '引用的已有评估',
    procedureExplanation: '履行法定程序情况', outcome: '审查结果', legalRiskStatement: '法律风险提示', findings: '审查情况', exceptionPurpose: '例外：目的',
    exceptionUntil: '例外：期限', packageSummary: '提交材料', meetingKind: '会议', heldAt: '时间', attendance: '出席/组成人数', positions: '组成人员意见',
    dissentRecorded: '记录了不同意见', decision: '决定', announcement: '公示内容', objectionsUntil: '异议期至', place: '地点', selectionMethod: '参加人遴选办法',
    participants: '听证参加人', record: '笔录', signatures: '签名人数', reportedAt: '报告时间', reference: '文号', gazetteReference: '政府公报', url: '网址', effectiveAt: '施行时间', dueAt: '原定期限',
  },
  enums: {
    abstain: '弃权', adopt: '通过', reject: '不通过', comment: '征求意见', survey: '问卷调查', controllable: '可控', uncontrollable: '不可控', days: '自然日', seconds: '秒（仅演示）',
    'e-signature': '电子签名', signature: '手写签名', seal: '盖章', exception: '例外（《公平竞争审查条例》第十二条）', pass: '通过', fail: '不通过', 'exploratory-reform': '探索性改革',
    return: '退回修改', unlawful: '不合法', executive: '常务会议', plenary: '全体会议', 'multiple-choice': '多选', 'single-choice': '单选', text: '文字回答',
    opposes: '反对', supports: '支持', 'supports-with-changes': '修改后支持', 'expert-demonstration': '专家论证', 'risk-assessment': '风险评估', 'fairness-review': '公平竞争审查',
  },
  integrityKinds: {
    'out-of-order-attempt': '违反程序顺序的尝试', 'forbidden-ground': '以禁止理由变更', 'suspension-unratified': '暂停执行未获追认', 'obligation-overdue': '承诺义务逾期',
    'payment-overdue': '拖欠中小企业账款', 'complaint-unanswered': '投诉逾期未答复', manual: '监督人员记录', correction: '更正',
  },
};
