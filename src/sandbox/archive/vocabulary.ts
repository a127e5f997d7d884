import type { Rng } from '../random.ts';

/**
 * Word pools for archived conversations: what sales people and customers, and colleagues among
 * themselves, write to each other. Chinese first, some English, a few phone numbers and amounts (the
 * product's sensitive-word engine and search are meant to find them).
 */

const split = (text: string) => text.trim().split('\n').map((line) => line.trim()).filter(Boolean);

export const PRODUCTS = split(`
  企业版年度套餐
  专业版
  智能客服系统
  数据分析平台
  会员管理小程序
  门店收银一体机
  云存储扩容包
  私有化部署方案
`);

const CUSTOMER_LINES = split(`
  您好，请问{product}现在有优惠活动吗？
  上次说的报价单什么时候能发我一下？
  我们老板想再看看{product}的演示
  合同我们法务还在审，预计{day}给您回复
  发票抬头写我们公司全称就可以
  这个价格能不能再便宜一点？我们打算采购{count}套
  好的，收到，谢谢！
  安装的时候需要我们准备什么？
  系统昨天晚上登录不了，麻烦帮忙看一下
  我的电话是{phone}，方便的时候打给我
  Can you send me the English version of the contract?
  已经付款了，请查收，金额{amount}元
  {product}和竞品相比有什么优势？
  周{weekday}下午可以来我们公司当面聊吗
`);

const EMPLOYEE_TO_CUSTOMER_LINES = split(`
  您好，我是您的专属顾问，有任何问题随时找我
  报价单已经发您邮箱了，请查收
  {product}本月下单可以享受{discount}折优惠
  好的，我马上跟技术同事确认一下
  合同已经盖章寄出，快递单号SF{digits}
  演示账号已经开通，用户名是您的手机号
  感谢您的支持！我们{day}安排工程师上门
  这个问题已经修复，您刷新一下试试
  Sure, I will send the English version by {day}.
  方便的话加一下我们的售后群，响应更快
  {product}的详细资料我整理好了
`);

const INTERNAL_LINES = split(`
  今天下午三点开周会，大家准时参加
  {customer}那边的合同进度怎么样了？
  这个月的业绩目标还差{amount}元
  帮我看一下这个客户的报价是否合理
  周{weekday}要去客户现场，谁有空一起？
  已更新到共享文档，请大家查看
  测试环境已经部署好了
  收到
  辛苦了！
  请假申请已提交，麻烦审批一下
  Please review the proposal before the meeting.
  {product}的新版本下周发布
`);

const FILE_NAMES = split(`
  报价单-{product}.xlsx
  合同草案V{digit}.docx
  产品手册.pdf
  会议纪要-{weekday}.docx
  安装指南.pdf
  Quarterly_Report_Q{digit}.pptx
  客户需求清单.xlsx
  发票扫描件.zip
`);

export const LINK_TITLES = split(`
  {product}上线发布会回顾
  如何在五分钟内完成系统配置
  客户案例：连锁门店的数字化转型
  Product roadmap 2025
`);

export const DOC_TITLES = split(`
  {product}实施计划
  本周客户跟进表
  销售话术手册
  项目排期
`);

export const WISHES = ['恭喜发财，大吉大利', '感谢合作！', '新年快乐', '辛苦啦', '项目顺利'];
export const TODO_TITLES = ['跟进报价', '准备演示环境', '提交合同审批', '回访客户'];
export const VOTE_TITLES = ['团建去哪里？', '周会改到哪天？', '新品命名投票'];
export const VOTE_ITEMS = ['周三', '周四', '周五', '海边', '爬山', '密室逃脱', '星火', '远航'];
export const MEETING_TOPICS = ['{product}需求沟通会', '季度复盘', '客户演示', 'Weekly sync'];
export const PLACES = ['3楼会议室', '腾讯会议', '客户公司', '上海总部大会议室'];
export const ADDRESSES = ['上海市浦东新区世纪大道100号', '北京市朝阳区建国路88号', '深圳市南山区科技园', '杭州市西湖区文三路'];
export const SPH_NAMES = ['企业微信', '数字化观察', '门店经营课'];
export const WEAPP_NAMES = ['会员中心', '在线商城', '预约服务'];
export const QUOTE_PREFIX = { zh: '这是一条引用/回复消息：', en: 'This is a quote/reply:' };
export const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** Fills `{product}`, `{amount}` … placeholders with draws from the message's own generator. */
export function fill(template: string, rng: Rng, names: { customer?: string } = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    switch (key) {
      case 'product': return rng.pick(PRODUCTS);
      case 'amount': return String(rng.between(1, 500) * 100);
      case 'count': return String(rng.between(2, 50));
      case 'discount': return String(rng.between(7, 9));
      case 'day': return rng.pick(['明天', '后天', '下周一', '本周五', 'Friday']);
      case 'weekday': return rng.pick(WEEKDAYS);
      case 'phone': return `1${rng.pick(['3', '5', '8'])}${rng.chars('0123456789', 9)}`;
      case 'digits': return rng.chars('0123456789', 12);
      case 'digit': return String(rng.between(1, 4));
      case 'customer': return names.customer ?? '这个客户';
      default: return whole;
    }
  });
}

export type Voice = 'customer' | 'toCustomer' | 'internal';

export function chatLine(rng: Rng, voice: Voice, names: { customer?: string } = {}): string {
  const pool = voice === 'customer' ? CUSTOMER_LINES : voice === 'toCustomer' ? EMPLOYEE_TO_CUSTOMER_LINES : INTERNAL_LINES;
  return fill(rng.pick(pool), rng, names);
}

export function fileName(rng: Rng): string {
  return fill(rng.pick(FILE_NAMES), rng);
}
